/* Progressive enhancement for the portal. Every feature also works without this file. */
(function () {
  "use strict";
  var COOKIE = "yc_large_text";

  function setLargeText(on) {
    document.documentElement.classList.toggle("large-text", on);
    document.cookie = COOKIE + "=" + (on ? "1" : "0") + "; Max-Age=31536000; Path=/; SameSite=Lax";
    var buttons = document.querySelectorAll("[data-large-text-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      var label = on ? buttons[i].getAttribute("data-label-on") : buttons[i].getAttribute("data-label-off");
      if (label) { buttons[i].textContent = label; }
    }
    var fields = document.querySelectorAll("input[name='large_text']");
    for (var j = 0; j < fields.length; j++) { fields[j].value = on ? "0" : "1"; }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-large-text-form]")) { return; }
    event.preventDefault();
    setLargeText(!document.documentElement.classList.contains("large-text"));
  });
})();
