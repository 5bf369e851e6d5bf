// The main navigation on narrow screens: a menu button that shows and hides the menu, and the
// "More" group that closes when focus or a click goes elsewhere, or on Escape.
// Loaded in the head so the page knows at once that the script runs (class "has-js" on <html>):
// without it the menu is simply shown in full, and "More" is a plain <details> that works alone.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  function setUp() {
    var button = document.querySelector("[data-nav-toggle]");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (button && nav) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("is-open", open);
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && nav.classList.contains("is-open") &&
            nav.contains(document.activeElement)) {
          button.setAttribute("aria-expanded", "false");
          nav.classList.remove("is-open");
          button.focus();
        }
      });
    }

    var more = document.querySelector("[data-nav-more]");
    if (!more) { return; }
    function close(returnFocus) {
      if (!more.open) { return; }
      more.open = false;
      if (returnFocus) { more.querySelector("summary").focus(); }
    }
    document.addEventListener("click", function (event) {
      if (!more.contains(event.target)) { close(false); }
    });
    document.addEventListener("focusin", function (event) {
      if (!more.contains(event.target)) { close(false); }
    });
    more.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && more.open) {
        event.stopPropagation();
        close(true);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
