// Live progress on the answering page; the page works without it.
(function () {
  "use strict";
  var form = document.querySelector(".answer-form");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  if (!form || !bar || !text) { return; }
  var total = parseInt(form.getAttribute("data-total"), 10);
  var template = text.textContent.replace(/^\d+/, "{n}");
  function update() {
    var names = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      names[input.name] = true;
    });
    var answered = Object.keys(names).length;
    bar.value = answered;
    text.textContent = template.replace("{n}", String(answered));
  }
  form.addEventListener("change", update);
  update();
  void total;
}());
