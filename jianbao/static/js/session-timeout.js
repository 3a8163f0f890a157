/* Warns before the session times out, with a 「继续工作」 button that keeps it alive.
   Settings come from the page (json_script "session-timeout"); no inline script. */
(function () {
  "use strict";
  var data = document.getElementById("session-timeout");
  var box = document.getElementById("session-warning");
  if (!data || !box) return;
  var cfg = JSON.parse(data.textContent);
  var started = Date.now();
  var absoluteAt = started + cfg.absolute_in * 1000;
  var deadline = started + cfg.expires_in * 1000;
  var countdown = document.getElementById("session-countdown");
  var button = document.getElementById("session-continue");

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function activity() {
    deadline = Math.min(Date.now() + cfg.idle * 1000, absoluteAt);
  }

  function expire() {
    if (window.jianbaoDrafts) window.jianbaoDrafts.keepForLogin();
    var next = location.pathname + location.search;
    location.assign(box.dataset.login + "?next=" + encodeURIComponent(next));
  }

  function tick() {
    var left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) {
      expire();
      return;
    }
    if (left <= cfg.warn) {
      box.hidden = false;
      var m = Math.floor(left / 60), s = left % 60;
      countdown.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    } else {
      box.hidden = true;
    }
  }

  button.addEventListener("click", function () {
    fetch(box.dataset.keepalive, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status === 401) {
        expire();
        return null;
      }
      return response.json();
    }).then(function (body) {
      if (!body) return;
      deadline = Date.now() + body.expires_in * 1000;
      box.hidden = true;
    }).catch(function () { /* offline: the next tick tries again */ });
  });
  document.body.addEventListener("htmx:afterRequest", activity);
  setInterval(tick, 1000);
  tick();
})();
