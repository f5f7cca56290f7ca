/* The kiosk's pages: the idle timer (back to the start screen after KIOSK_IDLE_SECONDS
 * without a touch), the card reader on the start screen, printing. Plain JavaScript. */
(function () {
  "use strict";

  var body = document.body;

  // A touch screen: no context menu, no text selection by long press.
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });

  // -- idle sign-out ------------------------------------------------------------------
  var idleSeconds = parseInt(body.dataset.idleSeconds, 10) || 60;
  if (body.dataset.signedIn === "1") {
    var signOut = document.getElementById("kiosk-sign-out");
    var left = document.querySelector("[data-idle-left]");
    var lastTouch = Date.now();
    var touched = function () { lastTouch = Date.now(); };
    ["pointerdown", "touchstart", "mousedown", "keydown", "wheel"].forEach(function (kind) {
      document.addEventListener(kind, touched, { passive: true, capture: true });
    });
    var timer = setInterval(function () {
      var remaining = idleSeconds - Math.floor((Date.now() - lastTouch) / 1000);
      if (left) left.textContent = remaining <= 15 && remaining > 0 ? remaining + "s" : "";
      if (remaining <= 0 && signOut) {
        clearInterval(timer);
        signOut.elements.reason.value = "idle";
        signOut.submit();
      }
    }, 250);
  }

  // -- printing -----------------------------------------------------------------------
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-print-frame]").forEach(function (button) {
    button.addEventListener("click", function () {
      var frame = document.getElementById(button.dataset.printFrame);
      try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.print(); }
    });
  });

  // -- the card reader (start screen) ---------------------------------------------------
  var form = document.getElementById("kiosk-card-form");
  if (!form) return;
  var status = document.getElementById("kiosk-reader-status");
  var reader = window.YichuangCardReader;
  if (!reader || typeof reader.read !== "function") {
    status.textContent = status.dataset.missing;
    status.classList.add("is-error");
    return;
  }
  function readOnce() {
    status.textContent = status.dataset.waiting;
    reader.read().then(function (card) {
      if (!card || !card.id_number) throw new Error("empty card");
      form.elements.id_number.value = card.id_number;
      form.elements.name.value = card.name || "";
      form.submit();
    }).catch(function () {
      status.textContent = status.dataset.failed;
      setTimeout(readOnce, 2000);
    });
  }
  readOnce(); // a deferred script: the page is parsed and the reader's script has run
})();
