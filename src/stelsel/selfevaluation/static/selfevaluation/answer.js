// The answering page: live progress, sending as the main action once every statement has an
// answer, and a check before sending that names what is missing and leads there. The page works
// without it: the server counts, checks and names missing statements the same way.
(function () {
  "use strict";
  var form = document.querySelector(".answer-form");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  var send = document.getElementById("send");
  var box = document.getElementById("answer-problems");
  if (!form || !bar || !text || !send || !box) { return; }
  var statements = Array.prototype.slice.call(form.querySelectorAll("fieldset.statement"));
  var template = text.textContent.replace(/^\d+/, "{n}");
  var listed = parseInt(box.getAttribute("data-listed"), 10) || 5;

  function answered(fieldset) {
    return fieldset.querySelector("input[type=radio]:checked") !== null;
  }

  function unanswered() {
    return statements.filter(function (fieldset) { return !answered(fieldset); });
  }

  function mark(fieldset, missing) {
    fieldset.classList.toggle("statement--missing", missing);
    var note = fieldset.querySelector(".statement__note");
    if (note) { note.hidden = !missing; }
  }

  function paragraph(message) {
    var p = document.createElement("p");
    p.textContent = message;
    return p;
  }

  // The same message as the server gives: the first statements named, each a link to it.
  function report(missing) {
    box.textContent = "";
    box.appendChild(paragraph(box.getAttribute("data-missing")));
    var list = document.createElement("ul");
    list.className = "answer-problems__list";
    missing.slice(0, listed).forEach(function (fieldset) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + fieldset.id;
      link.textContent = fieldset.getAttribute("data-number") + ". " +
        fieldset.getAttribute("data-short");
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    if (missing.length > listed) { box.appendChild(paragraph(box.getAttribute("data-more"))); }
    statements.forEach(function (fieldset) { mark(fieldset, missing.indexOf(fieldset) !== -1); });
    box.hidden = false;
  }

  function update(event) {
    var missing = unanswered();
    var count = statements.length - missing.length;
    bar.value = count;
    text.textContent = template.replace("{n}", String(count));
    send.classList.toggle("button--primary", missing.length === 0);
    statements.forEach(function (fieldset) {
      if (answered(fieldset)) { mark(fieldset, false); }
    });
    // After an answer, the message follows; the server's message stays as sent until then.
    if (event && !box.hidden && box.querySelector(".answer-problems__list")) {
      if (missing.length) { report(missing); } else { box.hidden = true; }
    }
  }

  form.addEventListener("change", update);

  form.addEventListener("submit", function (event) {
    if (!event.submitter || event.submitter.value !== "submit") { return; }
    var missing = unanswered();
    if (!missing.length) { return; }
    event.preventDefault();
    report(missing);
    box.scrollIntoView({ block: "start" });
    box.focus({ preventScroll: true });
  });

  // A link in the message goes to the statement and puts focus on its first option, so the
  // answer can be given at once (without script the statement itself takes the focus).
  box.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    var option = target.querySelector("input[type=radio]:checked") ||
      target.querySelector("input[type=radio]");
    target.scrollIntoView({ block: "start" });
    (option || target).focus({ preventScroll: true });
  });

  update();
}());
