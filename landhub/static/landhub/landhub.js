// LandHub: small behaviours shared by every page. No build step; plain ES2017.
(function () {
  "use strict";
  // Move focus to swapped content for screen-reader users when htmx replaces a results region.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-focus-on-swap")) {
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  });

  // A form sent by htmx that the server refuses (400: messages next to the fields; 409: someone
  // saved meanwhile) answers with the part of the page to show instead: swap it like a 200.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // <select data-autosubmit> sends its form on change (no inline handlers: the CSP forbids them).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // <select data-period-base=".../PERIOD/"> opens the same page for the chosen period.
  document.querySelectorAll("select[data-period-base]").forEach(function (select) {
    select.addEventListener("change", function () {
      window.location.href = select.getAttribute("data-period-base")
        .replace("PERIOD", encodeURIComponent(select.value));
    });
  });

  // Suggestions for text boxes that name a record: <input list="x" data-autocomplete-url="...">.
  // The browser's own <datalist> shows them, so keyboards and screen readers work as usual.
  document.querySelectorAll("input[data-autocomplete-url][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      list = document.createElement("datalist");
      list.id = input.getAttribute("list");
      input.insertAdjacentElement("afterend", list);
    }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        var url = input.getAttribute("data-autocomplete-url") + "&q=" + encodeURIComponent(q);
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.label;
              list.appendChild(option);
            });
          });
      }, 250);
    });
  });
})();
