// Countdown to an emergency report's next due moment (紧急信息). Elements carry
// data-countdown-due="ISO time"; the text shows the time left, or how long it is overdue.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(seconds) {
    var s = Math.abs(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + "小时" : "") + pad(m) + "分" + pad(s % 60) + "秒";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown-due]").forEach(function (el) {
      var left = Math.round((Date.parse(el.getAttribute("data-countdown-due")) - now) / 1000);
      el.textContent = left >= 0 ? "剩余 " + format(left) : "已逾期 " + format(left);
      el.classList.toggle("state-returned", left < 0);
      el.classList.toggle("state-in_review", left >= 0);
    });
  }
  tick();
  window.setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
})();
