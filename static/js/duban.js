/* Duban pages: small progressive enhancements. Every form also works without this file. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      // Forms answered with errors (400/422) still show them in place; other failures are not swapped in.
      window.htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "40[09]|422", swap: true, error: false },
        { code: "[45]..", swap: false, error: true }
      ];
      window.htmx.config.allowEval = false;
      window.htmx.config.includeIndicatorStyles = false;
    }
  });

  // <form data-confirm="…">: ask before a step that cannot be undone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A form on its way is not sent twice: its submit buttons wait until the answer comes.
  // (Disabled on the next tick, so the pressed button's own name and value still go with the form.)
  function setBusy(form, busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      if (busy) {
        if (!button.disabled) { button.disabled = true; button.setAttribute("data-busy", ""); }
      } else if (button.hasAttribute("data-busy")) {
        button.disabled = false; button.removeAttribute("data-busy");
      }
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form || !form.querySelectorAll) { return; }
    window.setTimeout(function () { setBusy(form, true); }, 0);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target && event.target.closest && event.target.closest("form");
    if (form) { setBusy(form, false); }
  });
  window.addEventListener("pageshow", function () {  // back to a page kept in the browser's cache
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) { setBusy(form, false); });
  });

  // Import preview: a link to a place in the source marks that place.
  function markTarget() {
    var id = window.location.hash.slice(1);
    document.querySelectorAll(".source .active").forEach(function (el) { el.classList.remove("active"); });
    if (!id) { return; }
    var el = document.getElementById(id);
    if (el && el.closest(".source")) { el.classList.add("active"); }
  }
  window.addEventListener("hashchange", markTarget);
  document.addEventListener("DOMContentLoaded", markTarget);

  // <select data-autosubmit>: filters that apply as soon as they change.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
})();
