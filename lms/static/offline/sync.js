// Progress made offline: queue "mark as done", send the queue when the connection returns, and
// tell the learner what waits on the device and whether they are offline.
(function (offline) {
  "use strict";
  var texts = offline.texts;
  var statusLine = offline.statusLine;

  function showConnection() {
    if (navigator.onLine) {
      var line = document.getElementById("offline-banner");
      if (line) { line.remove(); }
    } else {
      statusLine("offline-banner").textContent = texts.offline;
    }
  }
  // A "waiting" badge beside each activity queued, and a line saying how many wait.
  function showWaiting(message) {
    if (!offline.supported || !offline.user) { return Promise.resolve(); }
    return offline.queue.queued().then(function (items) {
      var keys = {};
      items.forEach(function (item) { keys[item.course + "/" + item.key] = true; });
      document.querySelectorAll("a[data-offline-key]").forEach(function (link) {
        var waiting = keys[link.dataset.offlineCourse + "/" + link.dataset.offlineKey];
        var badge = link.parentNode.querySelector(".badge.waiting");
        if (waiting && !badge) {
          badge = document.createElement("span");
          badge.className = "badge waiting";
          badge.textContent = texts.waitingBadge;
          link.parentNode.appendChild(badge);
        } else if (!waiting && badge) { badge.remove(); }
      });
      if (items.length) {
        statusLine("sync-status").textContent = offline.fill(texts.waiting, { n: items.length });
      } else if (message) {
        statusLine("sync-status").textContent = message;
      } else {
        var line = document.getElementById("sync-status");
        if (line) { line.remove(); }
      }
    });
  }

  // Send the completions queued on this device; each has its own id, and the server counts a
  // completion once however often it arrives, so a resend after a lost answer is harmless.
  var sending = null;
  function sendQueue() {
    if (sending) { return sending; }
    sending = offline.queue.queued().then(function (items) {
      if (!items.length || !navigator.onLine) { return null; }
      return fetch(texts.tokenUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok || response.redirected) { throw new Error("signed-out"); }
          return response.json();
        })
        .then(function (token) {
          return fetch(texts.syncUrl, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": token.csrf_token },
            body: JSON.stringify({ items: items.map(function (i) { return { id: i.id, course: i.course, key: i.key }; }) }),
          });
        })
        .then(function (response) {
          if (!response.ok || response.redirected) { throw new Error("refused " + response.status); }
          return response.json();
        })
        .then(function (answer) {
          var sent = items.filter(function (i) { return answer.accepted.indexOf(i.id) >= 0; });
          return offline.queue.unqueue(answer.accepted.concat(answer.refused)).then(function () {
            return offline.storage.refreshPages(sent);
          }).then(function () { return showWaiting(texts.synced); });
        })
        .catch(function (error) {
          if (error.message === "signed-out") { statusLine("sync-status").textContent = texts.signIn; }
        });
    }).then(function (result) { sending = null; return result; }, function () { sending = null; });
    return sending;
  }

  // "Tandai selesai" pressed offline: keep it on the device, and say so where the button was.
  function queueCompletion(form) {
    return offline.queue.enqueue(form.dataset.offlineCourse, form.dataset.offlineKey).then(function () {
      var note = document.createElement("p");
      note.className = "status done";
      note.setAttribute("role", "status");
      note.textContent = texts.queued;
      form.replaceWith(note);
      return showWaiting();
    });
  }

  offline.sync = {
    showConnection: showConnection, showWaiting: showWaiting, sendQueue: sendQueue, queueCompletion: queueCompletion,
  };
}(window.kelasOffline));
