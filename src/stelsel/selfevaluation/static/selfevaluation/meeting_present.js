// The meeting code page: a button that puts the code and its QR code full screen, for the
// screen in the room. Without the script (or without the Fullscreen API) the button stays
// hidden and the page is shown as it is; the browser's own full screen still works.
(function () {
  "use strict";
  var button = document.querySelector("[data-present-fullscreen]");
  var target = document.getElementById("present-code");
  if (!button || !target) { return; }
  var request = target.requestFullscreen || target.webkitRequestFullscreen;
  var enabled = document.fullscreenEnabled || document.webkitFullscreenEnabled;
  if (!request || !enabled) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var result = request.call(target);
    if (result && typeof result.then === "function") {
      result.then(null, function () { /* the browser said no; the page stays as it is */ });
    }
  });
}());
