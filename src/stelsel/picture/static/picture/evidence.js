// Show only the part of the evidence form that fits the chosen kind (document, link or
// results). Without this script every part stays visible and the form still works.
(function () {
  "use strict";
  function setUp(form) {
    var radios = form.querySelectorAll("input[name='kind']");
    var parts = form.querySelectorAll("[data-kind]");
    function update() {
      var chosen = form.querySelector("input[name='kind']:checked");
      parts.forEach(function (part) {
        part.hidden = chosen !== null && part.getAttribute("data-kind") !== chosen.value;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }
  document.querySelectorAll("[data-evidence-form]").forEach(setUp);
})();
