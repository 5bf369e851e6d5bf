// Copy buttons for addresses shown once (the inspector's link, the calendar address): the
// button copies the read-only field beside it and says so in a live region. Where the
// clipboard cannot be written (an older browser, a page not served over HTTPS), the text is
// selected instead, so the person copies it with the keyboard. Without the script the button
// stays hidden and the field is there to select by hand.
(function () {
  "use strict";

  function announce(status, text) {
    // Emptied first, so saying the same thing twice is still announced.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function select(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
  }

  function fallback(field, status, button) {
    select(field);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    announce(status, copied ? button.dataset.copied : button.dataset.selected);
  }

  function setUp(button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copy + "-status");
    if (!field || !status) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { announce(status, button.dataset.copied); },
          function () { fallback(field, status, button); }
        );
      } else {
        fallback(field, status, button);
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
