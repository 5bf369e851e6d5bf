// Presentation mode: shows one slide at a time and moves through them with the keyboard.
// Without this script the page is one long list of slides, read from top to bottom.
(function () {
  "use strict";
  var deck = document.getElementById("deck");
  if (!deck) { return; }
  var slides = Array.prototype.slice.call(deck.querySelectorAll("[data-slide]"));
  if (!slides.length) { return; }
  var controls = deck.querySelector("[data-deck-controls]");
  var counter = document.getElementById("deck-counter");
  var fullButton = deck.querySelector("[data-deck='fullscreen']");
  var current = 0;

  function fullscreenElement() {
    return document.fullscreenElement || document.webkitFullscreenElement || null;
  }

  function fullscreenEnabled() {
    return Boolean(document.fullscreenEnabled || document.webkitFullscreenEnabled);
  }

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      if (i === current) {
        slide.classList.add("is-current");
      } else {
        slide.classList.remove("is-current");
      }
    });
    if (counter) {
      counter.textContent = (current + 1) + " / " + slides.length;
    }
    if (window.history && typeof window.history.replaceState === "function") {
      window.history.replaceState(null, "", "#" + slides[current].id);
    }
  }

  function move(index) {
    show(index);
    // A long slide may have been scrolled; the next one starts at its top.
    deck.scrollTop = 0;
    if (deck.getBoundingClientRect().top < 0) { deck.scrollIntoView(true); }
  }

  function startIndex() {
    var hash = window.location.hash.replace(/^#/, "");
    for (var i = 0; i < slides.length; i += 1) {
      if (slides[i].id === hash) { return i; }
    }
    return 0;
  }

  function ignoreRejection(result) {
    if (result && typeof result.then === "function") {
      result.then(null, function () { /* the browser said no; the page stays as it is */ });
    }
  }

  function toggleFullscreen() {
    try {
      if (fullscreenElement()) {
        var exit = document.exitFullscreen || document.webkitExitFullscreen;
        if (exit) { ignoreRejection(exit.call(document)); }
      } else if (fullscreenEnabled()) {
        var request = deck.requestFullscreen || deck.webkitRequestFullscreen;
        if (request) { ignoreRejection(request.call(deck)); }
      }
    } catch (error) {
      // Older browsers throw instead of rejecting; presenting goes on without full screen.
    }
  }

  function leaveFullscreen() {
    if (fullscreenElement()) { toggleFullscreen(); }
  }

  function onFullscreenChange() {
    var on = fullscreenElement() === deck;
    deck.classList.toggle("is-fullscreen", on);
    if (fullButton) { fullButton.setAttribute("aria-pressed", on ? "true" : "false"); }
  }

  function typingIn(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function onControl(target) {
    return Boolean(target && target.tagName && (target.tagName === "BUTTON" || target.tagName === "A"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (typingIn(event.target)) { return; }
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown" || (key === " " && !event.shiftKey && !onControl(event.target))) {
      event.preventDefault();
      move(current + 1);
    } else if (key === "ArrowLeft" || key === "PageUp" || (key === " " && event.shiftKey && !onControl(event.target))) {
      event.preventDefault();
      move(current - 1);
    } else if (key === "Home") {
      event.preventDefault();
      move(0);
    } else if (key === "End") {
      event.preventDefault();
      move(slides.length - 1);
    } else if (key === "f" || key === "F") {
      event.preventDefault();
      toggleFullscreen();
    } else if (key === "Escape" || key === "Esc") {
      leaveFullscreen();
    }
  });

  deck.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("[data-deck]") : null;
    if (!button) { return; }
    var action = button.getAttribute("data-deck");
    if (action === "next") { move(current + 1); }
    if (action === "prev") { move(current - 1); }
    if (action === "fullscreen") { toggleFullscreen(); }
  });

  document.addEventListener("fullscreenchange", onFullscreenChange);
  document.addEventListener("webkitfullscreenchange", onFullscreenChange);

  if (controls) { controls.hidden = false; }
  if (fullButton && !fullscreenEnabled()) { fullButton.hidden = true; }
  deck.classList.add("deck--js");
  show(startIndex());
}());
