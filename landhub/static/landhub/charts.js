// Charts drawn from Vega-Lite specifications the server wrote into the page.
//
// Each <figure data-chart="ID"> has its specification in <script id="ID"
// type="application/json"> (Django's json_script) and, optionally, a hidden button
// [data-chart-download] that offers the drawn chart as SVG. Vega normally compiles its
// expressions with `new Function`, which our Content-Security-Policy forbids; `ast: true`
// with the vendored vega-interpreter evaluates them without it. If anything fails, the table
// beside the chart still holds every figure.
(function () {
  "use strict";
  if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
    return;
  }
  document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var target = figure.querySelector("[data-chart-canvas]");
    if (!source || !target) { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec.data || !spec.data.values || !spec.data.values.length) {
      figure.hidden = true;
      return;
    }
    window.vegaEmbed(target, spec, {
      ast: true,
      expr: window.vega.expressionInterpreter,
      actions: false,
      renderer: "svg"
    }).then(function (result) {
      var button = figure.querySelector("[data-chart-download]");
      if (!button) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        result.view.toSVG().then(function (svg) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
          link.download = (button.getAttribute("data-chart-download") || "chart") + ".svg";
          document.body.appendChild(link);
          link.click();
          link.remove();
        });
      });
    }).catch(function () { target.hidden = true; });
  });
})();
