/* The calling screen: polls the hall API about every second, redraws the windows, the
 * latest calls and the waiting counts, and speaks each new call (called or recalled) once.
 * New calls are those with an event_id above the highest one seen; the calls already on
 * the screen when the page loaded are not spoken. Plain JavaScript, no build step. */
(function () {
  "use strict";

  var root = document.getElementById("screen");
  if (!root) return;
  var api = root.dataset.api;
  var pollMs = parseInt(root.dataset.pollMs, 10) || 1000;
  var lastSeen = parseInt(root.dataset.lastEventId, 10) || 0;
  var labels = {
    paused: root.dataset.labelPaused,
    idle: root.dataset.labelIdle,
    window: root.dataset.labelWindow,
    waiting: root.dataset.labelWaiting,
    none: root.dataset.labelNone,
    noWindow: root.dataset.labelNoWindow
  };
  var highlightMs = 6000;
  var flashUntil = {}; // window number → time until which its card is highlighted
  var announceTimer = null;

  function fill(template, n) {
    return template.replace("%(n)s", String(n));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function drawWindows(windows) {
    var list = document.getElementById("screen-windows");
    var now = Date.now();
    var items = windows.map(function (w) {
      var li = el("li", "window-card");
      li.dataset.window = w.window_number;
      if (w.paused) li.classList.add("is-paused");
      else if (!w.number) li.classList.add("is-idle");
      if (flashUntil[w.window_number] && flashUntil[w.window_number] > now) {
        li.classList.add("is-new");
      }
      li.appendChild(el("span", "window-label", fill(labels.window, w.window_number)));
      var current = el("strong", "window-number",
        w.paused ? labels.paused : (w.number || labels.idle));
      current.setAttribute("data-current", "");
      li.appendChild(current);
      li.appendChild(el("span", "window-name", w.window_name));
      return li;
    });
    if (!items.length) items = [el("li", "window-empty", labels.noWindow)];
    list.replaceChildren.apply(list, items);
  }

  function drawCalls(calls, fresh) {
    var list = document.getElementById("screen-calls");
    var items = calls.map(function (c) {
      var li = el("li", fresh[c.event_id] ? "is-new" : "");
      li.dataset.event = c.event_id;
      li.appendChild(el("strong", "", c.number));
      li.appendChild(el("span", "", fill(labels.window, c.window_number)));
      return li;
    });
    if (!items.length) items = [el("li", "call-empty", labels.none)];
    list.replaceChildren.apply(list, items);
  }

  function drawWaiting(queues) {
    var list = document.getElementById("screen-waiting");
    var items = queues.map(function (q) {
      var li = el("li");
      li.dataset.queue = q.code;
      li.appendChild(el("b", "", q.code));
      li.appendChild(el("span", "", q.name));
      li.appendChild(el("em", "", fill(labels.waiting, q.waiting)));
      return li;
    });
    list.replaceChildren.apply(list, items);
  }

  function speak(text) {
    try {
      if (!window.speechSynthesis || typeof SpeechSynthesisUtterance === "undefined") return;
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "zh-CN";
      window.speechSynthesis.speak(utterance);
    } catch (e) {
      /* a screen without speech still shows the call */
    }
  }

  function announce(call) {
    var box = document.getElementById("screen-announce");
    box.textContent = call.text;
    box.hidden = false;
    if (announceTimer) clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { box.hidden = true; }, highlightMs);
  }

  function apply(state) {
    var fresh = {};
    var newCalls = state.last_calls
      .filter(function (c) { return c.event_id > lastSeen; })
      .sort(function (a, b) { return a.event_id - b.event_id; });
    var now = Date.now();
    newCalls.forEach(function (c) {
      fresh[c.event_id] = true;
      flashUntil[c.window_number] = now + highlightMs;
    });
    drawWindows(state.windows);
    drawCalls(state.last_calls, fresh);
    drawWaiting(state.waiting);
    newCalls.forEach(function (c) {
      speak(c.text);
      announce(c);
      lastSeen = Math.max(lastSeen, c.event_id);
    });
  }

  function online(ok) {
    document.getElementById("screen-offline").hidden = ok;
    root.classList.toggle("is-offline", !ok);
  }

  function poll() {
    var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    var timeout = setTimeout(function () { if (controller) controller.abort(); }, 5000);
    fetch(api, { cache: "no-store", headers: { Accept: "application/json" },
                 signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        online(true);
        apply(state);
      })
      .catch(function () { online(false); }) // keep the last state on screen
      .then(function () {
        clearTimeout(timeout);
        setTimeout(poll, pollMs);
      });
  }

  // The hall's clock shows the centre's time (the platform's time zone), whatever the
  // screen's own computer is set to.
  var clockFormat = null;
  try {
    clockFormat = new Intl.DateTimeFormat("zh-CN", {
      timeZone: root.dataset.timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit",
      hourCycle: "h23"
    });
  } catch (e) { clockFormat = null; }

  function tick() {
    var clock = document.getElementById("screen-clock");
    var d = new Date();
    if (clockFormat) { clock.textContent = clockFormat.format(d); return; }
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    clock.textContent = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  tick();
  setInterval(tick, 1000);
  setTimeout(poll, pollMs);
})();
