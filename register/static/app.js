/* Progressive enhancement only: every action works without this file.
 * - forms marked data-autosubmit submit when their select changes;
 * - filter forms marked data-autosubmit-fields submit when a select changes;
 * - forms marked data-confirm ask before submitting (deletions);
 * - the safeguard form shows the SCC module only for SCC mechanisms.
 * No inline script anywhere: the Content-Security-Policy allows scripts from 'self' only. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function onChangeSubmit(form) {
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.value !== "" || form.hasAttribute("data-autosubmit-fields")) { form.requestSubmit(); }
      });
    });
  }
  document.querySelectorAll("form[data-autosubmit], form[data-autosubmit-fields]").forEach(onChangeSubmit);

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  var mechanism = document.getElementById("field-mechanism");
  var module = document.querySelector('[data-field="scc_module"]');
  if (mechanism && module) {
    var sccMechanisms = ["scc_2021", "scc_pre_2021", "uk_addendum"];
    var update = function () {
      module.hidden = sccMechanisms.indexOf(mechanism.value) < 0;
      if (module.hidden) { module.querySelector("select").value = ""; }
    };
    mechanism.addEventListener("change", update);
    update();
  }

  var firstError = document.getElementById("form-errors");
  if (firstError) { firstError.setAttribute("tabindex", "-1"); firstError.focus(); }
})();
