/* Homeward's only script of its own. Everything works without it; it only tidies up. */
(function () {
  "use strict";
  // Search forms send every filter, most of them empty: drop the empty ones so the
  // address pushed into the history (and the audited query) stays short and readable.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") { return; }
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      if (params[name] === "") { delete params[name]; }
    });
  });
})();
