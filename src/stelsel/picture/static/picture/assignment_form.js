// Show only the requirements of the chosen standard. Without this script every requirement
// is listed and the server refuses one of another standard with a clear message.
(function () {
  "use strict";
  document.querySelectorAll("select[data-requirement-filter]").forEach(function (standard) {
    var requirement = document.getElementById(standard.getAttribute("data-requirement-filter"));
    if (!requirement) { return; }
    function filter() {
      var chosen = standard.value;
      Array.prototype.forEach.call(requirement.options, function (option) {
        var of = option.getAttribute("data-standard");
        var show = !of || of === chosen;
        option.hidden = !show;
        option.disabled = !show;
        if (!show && option.selected) { requirement.value = ""; }
      });
    }
    standard.addEventListener("change", filter);
    filter();
  });
})();
