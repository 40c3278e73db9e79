// The completions made offline, kept in IndexedDB until sent: {id, user, course, key, at}.
(function (offline) {
  "use strict";
  var DB_NAME = "kelas-offline";
  var QUEUE = "queue";

  function withQueue(mode, work) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(QUEUE, { keyPath: "id" }); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var tx = db.transaction(QUEUE, mode);
        var request = work(tx.objectStore(QUEUE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      };
    });
  }

  // This learner's queued completions.
  function queued() {
    return withQueue("readonly", function (store) { return store.getAll(); })
      .then(function (items) { return items.filter(function (item) { return item.user === offline.user; }); });
  }
  function enqueue(course, key) {
    var item = {
      id: (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()),
      user: offline.user, course: course, key: key, at: Date.now(),
    };
    return withQueue("readwrite", function (store) { store.put(item); });
  }
  function unqueue(ids) {
    return withQueue("readwrite", function (store) { ids.forEach(function (id) { store.delete(id); }); });
  }
  // A shared device: drop what another learner left waiting.
  function dropOthers() {
    return withQueue("readwrite", function (store) {
      var all = store.getAll();
      all.onsuccess = function () {
        all.result.forEach(function (item) { if (item.user !== offline.user) { store.delete(item.id); } });
      };
    });
  }
  function dropAll() {
    return new Promise(function (resolve) {
      var deleting = indexedDB.deleteDatabase(DB_NAME);
      deleting.onsuccess = deleting.onerror = deleting.onblocked = function () { resolve(); };
    });
  }

  offline.queue = { queued: queued, enqueue: enqueue, unqueue: unqueue, dropOthers: dropOthers, dropAll: dropAll };
}(window.kelasOffline));
