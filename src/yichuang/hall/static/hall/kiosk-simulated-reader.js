/* The simulated ID card reader (KIOSK_SIMULATED_READER, demo and tests): tapping a demo
 * person on the start screen "reads" their card. Same interface as a real reader's
 * adapter: window.YichuangCardReader.read() → Promise<{id_number, name}>. */
(function () {
  "use strict";
  var pending = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-sim-card]");
    if (!button || !pending) return;
    var resolve = pending;
    pending = null;
    resolve({ id_number: button.dataset.idNumber, name: button.dataset.name });
  });
  window.YichuangCardReader = {
    simulated: true,
    read: function () {
      return new Promise(function (resolve) { pending = resolve; });
    }
  };
})();
