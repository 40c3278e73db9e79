// Count down the time left on a quiz attempt with a time limit (the server enforces the limit).
(function () {
  "use strict";
  var box = document.getElementById("deadline");
  var out = document.getElementById("time-left");
  if (!box || !out) { return; }
  var deadline = Date.parse(box.dataset.deadline);
  if (isNaN(deadline)) { return; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    out.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
    if (left <= 60) { box.classList.add("timer-ending"); }
    if (left === 0) {
      out.textContent = box.dataset.ended || "0:00";
      return;
    }
    setTimeout(tick, 1000 - (Date.now() % 1000));
  }
  tick();
}());
