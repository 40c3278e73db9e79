// Kelas ASN offline: save courses for offline reading, queue "mark as done" made offline and send
// it when the connection returns, and clear all of it from the device on sign-out. Every page works
// without these scripts; they only add what needs the device's storage. They load in this order
// (templates/offline/_client.html), each adding its part to `window.kelasOffline`:
//   common.js   who is signed in, the page's texts, small helpers (this file)
//   queue.js    the completions made offline, kept in IndexedDB until sent
//   storage.js  saved courses: one cache per learner and course, kept fresh, cleared on sign-out
//   sync.js     sending the queue, and what the page says about what waits
//   panels.js   the course page's save panel, the outline's badges, the offline page, "Hemat data"
//   start.js    wiring: events, the service worker, the first refresh
(function () {
  "use strict";
  var PREFIX = "kelas-offline-";
  var texts = (document.getElementById("offline-texts") || { dataset: {} }).dataset;
  var user = texts.user || "";

  function fill(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function size(bytes) {
    var lang = document.documentElement.lang || "id";
    if (bytes < 1024 * 1024) { return Math.max(1, Math.round(bytes / 1024)).toLocaleString(lang) + " KB"; }
    return (bytes / 1024 / 1024).toLocaleString(lang, { maximumFractionDigits: 1 }) + " MB";
  }
  function path(url) { return new URL(url, location.href).pathname; }

  // A status line at the top of the page (offline, what waits to be sent), made once.
  function statusLine(id) {
    var line = document.getElementById(id);
    if (!line) {
      line = document.createElement("p");
      line.id = id;
      line.className = "flash flash-info offline-status";
      line.setAttribute("role", "status");
      var main = document.getElementById("main");
      if (main) { main.insertBefore(line, main.firstChild); }
    }
    return line;
  }

  window.kelasOffline = {
    // Every stored course's cache name starts so; this learner's with `mine`.
    PREFIX: PREFIX,
    mine: PREFIX + "u" + user + "-",
    texts: texts,
    user: user,
    supported: "serviceWorker" in navigator && "caches" in window && "indexedDB" in window,
    // Set on sign-out: work still under way (a refresh) must not store anything again.
    leaving: false,
    fill: fill,
    size: size,
    path: path,
    statusLine: statusLine,
  };
}());
