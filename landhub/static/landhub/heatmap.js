// The coverage heat map: a Vega-Lite chart drawn from the same records as the table below it.
//
// The records come from a <script type="application/json"> block (Django's json_script), so
// the page needs no second request. Vega normally compiles its expressions with `new
// Function`, which our Content-Security-Policy forbids; `ast: true` with the vendored
// vega-interpreter evaluates them without it. If anything fails, the table is still there.
(function () {
  "use strict";
  var target = document.querySelector("[data-heatmap-source]");
  if (!target || !window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
    return;
  }
  var source = document.getElementById(target.getAttribute("data-heatmap-source"));
  var data = JSON.parse(source.textContent);
  var t = data.labels;
  var states = ["unserved", "crowded", "served", "empty"];
  data.records.forEach(function (record) { record.stateLabel = t[record.state]; });
  var places = [];
  data.records.forEach(function (record) {
    if (places.indexOf(record.place) < 0) { places.push(record.place); }
  });
  var capabilities = [];
  data.records.forEach(function (record) {
    if (capabilities.indexOf(record.capability) < 0) { capabilities.push(record.capability); }
  });
  var tooltip = [
    { field: "capability", title: t.capability },
    { field: "place", title: t.place },
    { field: "needs", title: t.needs },
    { field: "offerings", title: t.offerings },
    { field: "providers", title: t.providers },
    { field: "activities", title: t.activities },
    { field: "partners", title: t.partners },
    { field: "stateLabel", title: t.state }
  ];
  var spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values: data.records },
    width: Math.max(240, Math.min(900, places.length * 70)),
    height: capabilities.length * 22,
    encoding: {
      x: { field: "place", type: "nominal", sort: places, title: t.place,
           axis: { labelAngle: places.length > 6 ? -40 : 0, orient: "top" } },
      y: { field: "capability", type: "nominal", sort: capabilities, title: null }
    },
    layer: [
      {
        mark: { type: "rect", stroke: "#ffffff", strokeWidth: 1 },
        encoding: {
          color: {
            field: "state", type: "nominal", title: t.state,
            scale: { domain: states, range: ["#dc3545", "#ffc107", "#198754", "#e9ecef"] },
            legend: { labelExpr: "datum.label === 'unserved' ? '" + t.unserved.replace(/'/g, "") +
              "' : datum.label === 'crowded' ? '" + t.crowded.replace(/'/g, "") +
              "' : datum.label === 'served' ? '" + t.served.replace(/'/g, "") +
              "' : '" + t.empty.replace(/'/g, "") + "'" }
          },
          opacity: { condition: { test: "datum.needs > 0 || datum.partners > 0", value: 1 },
                     value: 0.5 },
          tooltip: tooltip
        }
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          text: { condition: { test: "datum.needs > 0", field: "needs" }, value: "" },
          color: { condition: { test: "datum.state === 'crowded'", value: "#212529" },
                   value: "#ffffff" },
          tooltip: tooltip
        }
      }
    ],
    config: { view: { stroke: null }, axis: { labelLimit: 220, domain: false, ticks: false } }
  };
  // No vega-embed action menu: it nests a control in the chart (role="img") and its icon has
  // no text. Our own button offers the one action worth having, the SVG for a report.
  window.vegaEmbed(target, spec, {
    ast: true,
    expr: window.vega.expressionInterpreter,
    actions: false,
    renderer: "svg"
  }).then(function (result) {
    var button = document.getElementById(target.getAttribute("data-heatmap-download"));
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      result.view.toSVG().then(function (svg) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
        link.download = "coverage.svg";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    });
  }).catch(function () { target.hidden = true; });
})();
