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
})();
