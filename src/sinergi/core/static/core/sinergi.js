/* Sinergi's only page script (served from static: the Content-Security-Policy allows no inline script).
   Behaviour is declared with data attributes instead of inline handlers:
   data-toggle-nav (menu button), data-select-all="name" (check every input[name]), data-autosubmit
   (submit the form on change), data-disable-on-submit (disable the buttons once sent, no double payment),
   data-plotly-figure="id" (draw the Plotly figure whose JSON is in <script type="application/json" id=id>). */
(function () {
  "use strict";

  function drawCharts(root) {
    if (!window.Plotly || !root.querySelectorAll) return;
    root.querySelectorAll("[data-plotly-figure]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var source = document.getElementById(el.dataset.plotlyFigure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      var config = el.dataset.plotlyConfig ? JSON.parse(el.dataset.plotlyConfig) : {};
      window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config);
      el.dataset.drawn = "1";
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-toggle-nav]");
    if (toggle) {
      document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", String(document.body.classList.contains("nav-open")));
    }
    var all = event.target.closest("[data-select-all]");
    if (all) {
      document.querySelectorAll('input[name="' + all.dataset.selectAll + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("[data-disable-on-submit]")) {
      // After the browser has read the form: a disabled submitter would otherwise drop its value.
      window.setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:load", function (event) { drawCharts(event.detail.elt); });
})();
