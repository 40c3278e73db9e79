// Wiring, run last: forms (sign-out clears the device; "mark as done" offline is queued), the
// connection's comings and goings, the service worker, and each page's first work.
(function (offline) {
  "use strict";
  var texts = offline.texts;
  var supported = offline.supported;
  var storage = offline.storage;
  var sync = offline.sync;
  var panels = offline.panels;

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") { return; }
    if (/\/logout$/.test(offline.path(form.action))) {
      // Send what waits (for at most 3 s), clear the device, then sign out for real.
      if (form.dataset.cleared) { return; }
      event.preventDefault();
      var timeout = new Promise(function (resolve) { setTimeout(resolve, 3000); });
      Promise.race([supported ? sync.sendQueue() : null, timeout])
        .then(function () { return supported ? storage.clearDevice() : null; })
        .catch(function () { return null; })
        .then(function () { form.dataset.cleared = "1"; form.submit(); });
      return;
    }
    if (navigator.onLine) { return; }
    event.preventDefault();
    if (supported && offline.user && form.dataset.offlineKey) {
      sync.queueCompletion(form);
    } else {
      offline.statusLine("offline-banner").textContent = texts.needsConnection;
    }
  }

  panels.holdImages();
  document.addEventListener("submit", onSubmit);
  sync.showConnection();
  window.addEventListener("offline", function () { sync.showConnection(); panels.markOutline(); });
  if (!supported) { return; }
  window.addEventListener("online", function () {
    sync.showConnection();
    sync.sendQueue().then(storage.refreshAll).then(panels.markOutline);
  });
  if (texts.sw) {
    navigator.serviceWorker.register(texts.sw, { scope: "/" }).catch(function () { return null; });
  }
  storage.forgetOthers().then(function () {
    var panel = document.getElementById("offline-save");
    var list = document.getElementById("stored-courses");
    return Promise.all([
      sync.showWaiting(),
      sync.sendQueue(),
      storage.refreshDue() ? storage.refreshAll() : null,
      panel ? panels.coursePanel(panel) : panels.markOutline(),
      list ? panels.listStored(list) : null,
    ]);
  }).catch(function () { return null; });
}(window.kelasOffline));
