// Kelas ASN offline: install the service worker, save a course for offline reading (one cache per
// learner and course), keep it fresh, queue "mark as done" made offline in IndexedDB and send it
// when the connection returns, and clear all of it from the device on sign-out.
// Every page works without this script; it only adds what needs the device's storage.
(function () {
  "use strict";
  var PREFIX = "kelas-offline-";
  var DB_NAME = "kelas-offline";
  var QUEUE = "queue";
  var REFRESH_EVERY = 5 * 60 * 1000;
  var texts = (document.getElementById("offline-texts") || { dataset: {} }).dataset;
  var user = texts.user || "";
  var mine = PREFIX + "u" + user + "-";
  var supported = "serviceWorker" in navigator && "caches" in window && "indexedDB" in window;
  // Set on sign-out: work still under way (a refresh) must not store anything again.
  var leaving = false;

  function fill(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function size(bytes) {
    var lang = document.documentElement.lang || "id";
    if (bytes < 1024 * 1024) { return Math.max(1, Math.round(bytes / 1024)).toLocaleString(lang) + " KB"; }
    return (bytes / 1024 / 1024).toLocaleString(lang, { maximumFractionDigits: 1 }) + " MB";
  }
  function path(url) { return new URL(url, location.href).pathname; }

  // The queue of completions made offline: {id, user, course, key, at}.
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
  function queued() {
    return withQueue("readonly", function (store) { return store.getAll(); })
      .then(function (items) { return items.filter(function (item) { return item.user === user; }); });
  }
  function unqueue(ids) {
    return withQueue("readwrite", function (store) { ids.forEach(function (id) { store.delete(id); }); });
  }

  function ourCaches() {
    return caches.keys().then(function (names) {
      return names.filter(function (name) { return user && name.indexOf(mine) === 0; });
    });
  }
  function storedManifest(name) {
    return caches.open(name).then(function (cache) {
      return cache.keys().then(function (requests) {
        var found = requests.filter(function (r) { return /\/offline\.json$/.test(path(r.url)); })[0];
        return found ? cache.match(found).then(function (r) { return r.json(); }) : null;
      });
    });
  }
  function storedManifests() {
    return ourCaches().then(function (names) { return Promise.all(names.map(storedManifest)); })
      .then(function (all) { return all.filter(Boolean); });
  }
  function isStored(url) {
    return ourCaches().then(function (names) {
      return Promise.all(names.map(function (name) {
        return caches.open(name).then(function (cache) { return cache.match(url); });
      }));
    }).then(function (hits) { return hits.some(Boolean); });
  }

  // A shared device keeps one learner's things: the next learner's first page drops the others'.
  function forgetOthers() {
    if (!user) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0 && n.indexOf(mine) !== 0; })
        .map(function (n) { return caches.delete(n); }));
    }).then(function () {
      return withQueue("readwrite", function (store) {
        var all = store.getAll();
        all.onsuccess = function () {
          all.result.forEach(function (item) { if (item.user !== user) { store.delete(item.id); } });
        };
      });
    });
  }
  function clearDevice() {
    leaving = true;
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0; })
        .map(function (n) { return caches.delete(n); }));
    }).then(function () {
      return new Promise(function (resolve) {
        var deleting = indexedDB.deleteDatabase(DB_NAME);
        deleting.onsuccess = deleting.onerror = deleting.onblocked = function () { resolve(); };
      });
    });
  }

  // Download what the manifest lists and the cache lacks or holds in an older version; drop the rest.
  function fetchInto(cache, url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Offline-Save": "1" } }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error(url + ": " + response.status); }
      if (leaving) { throw new Error("signing out"); }
      return cache.put(url, response);
    });
  }
  function update(fresh, old, progress) {
    var before = {};
    ((old && old.entries) || []).forEach(function (e) { before[e.url] = e.version; });
    if (leaving) { return Promise.reject(new Error("signing out")); }
    return caches.open(fresh.cache).then(function (cache) {
      var wanted = {};
      fresh.entries.forEach(function (e) { wanted[e.url] = true; });
      wanted[fresh.url] = true;
      var todo = fresh.entries.slice();
      var done = 0;
      function worker() {
        var entry = todo.shift();
        if (!entry) { return Promise.resolve(); }
        return cache.match(entry.url).then(function (hit) {
          return hit && before[entry.url] === entry.version ? null : fetchInto(cache, entry.url);
        }).then(function () {
          done += 1;
          if (progress) { progress(done, fresh.entries.length); }
          return worker();
        });
      }
      return Promise.all([worker(), worker(), worker()]).then(function () {
        return cache.keys();
      }).then(function (requests) {
        return Promise.all(requests.filter(function (r) { return !wanted[path(r.url)]; })
          .map(function (r) { return cache.delete(r); }));
      }).then(function () {
        if (leaving) { throw new Error("signing out"); }
        return cache.put(fresh.url, new Response(JSON.stringify(fresh), { headers: { "Content-Type": "application/json" } }));
      });
    });
  }
  function getManifest(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (response) {
      if (response.status === 403 || response.status === 404) { return "gone"; }
      if (!response.ok || response.redirected) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }
  // Bring every stored course up to date: changed lessons again, removed ones out, lost courses gone.
  function refreshAll() {
    if (!navigator.onLine || !user) { return Promise.resolve(); }
    localStorage.setItem("kelas-offline-refreshed", String(Date.now()));
    return ourCaches().then(function (names) {
      return Promise.all(names.map(function (name) {
        return storedManifest(name).then(function (old) {
          if (!old) { return caches.delete(name); }
          return getManifest(old.url).then(function (fresh) {
            return fresh === "gone" ? caches.delete(name) : update(fresh, old);
          });
        }).catch(function () { return null; });
      }));
    }).then(function () { document.documentElement.dataset.offlineRefreshed = String(Date.now()); });
  }

  // Status lines at the top of the page: offline, and what waits to be sent.
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
  function showConnection() {
    if (navigator.onLine) {
      var line = document.getElementById("offline-banner");
      if (line) { line.remove(); }
    } else {
      statusLine("offline-banner").textContent = texts.offline;
    }
  }
  function showWaiting(message) {
    if (!supported || !user) { return Promise.resolve(); }
    return queued().then(function (items) {
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
        statusLine("sync-status").textContent = fill(texts.waiting, { n: items.length });
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
    sending = queued().then(function (items) {
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
          return unqueue(answer.accepted.concat(answer.refused)).then(function () {
            return refreshPages(sent);
          }).then(function () { return showWaiting(texts.synced); });
        })
        .catch(function (error) {
          if (error.message === "signed-out") { statusLine("sync-status").textContent = texts.signIn; }
        });
    }).then(function (result) { sending = null; return result; }, function () { sending = null; });
    return sending;
  }
  // The stored copies of pages whose state the server just changed (a lesson now done).
  function refreshPages(items) {
    if (leaving) { return Promise.resolve(); }
    return ourCaches().then(function (names) {
      return Promise.all(names.map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.keys().then(function (requests) {
            var stored = requests.map(function (r) { return path(r.url); });
            var again = [];
            items.forEach(function (item) {
              var lesson = "/courses/" + item.course + "/" + item.key + "/";
              var course = "/courses/" + item.course + "/";
              [lesson, course].forEach(function (url) {
                if (stored.indexOf(url) >= 0 && again.indexOf(url) < 0) { again.push(url); }
              });
            });
            return Promise.all(again.map(function (url) { return fetchInto(cache, url).catch(function () { return null; }); }));
          });
        });
      }));
    });
  }

  function queueCompletion(form) {
    var item = {
      id: (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()),
      user: user, course: form.dataset.offlineCourse, key: form.dataset.offlineKey, at: Date.now(),
    };
    return withQueue("readwrite", function (store) { store.put(item); }).then(function () {
      var note = document.createElement("p");
      note.className = "status done";
      note.setAttribute("role", "status");
      note.textContent = texts.queued;
      form.replaceWith(note);
      return showWaiting();
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") { return; }
    if (/\/logout$/.test(path(form.action))) {
      if (form.dataset.cleared) { return; }
      event.preventDefault();
      var timeout = new Promise(function (resolve) { setTimeout(resolve, 3000); });
      Promise.race([supported ? sendQueue() : null, timeout])
        .then(function () { return supported ? clearDevice() : null; })
        .catch(function () { return null; })
        .then(function () { form.dataset.cleared = "1"; form.submit(); });
      return;
    }
    if (navigator.onLine) { return; }
    event.preventDefault();
    if (supported && user && form.dataset.offlineKey) {
      queueCompletion(form);
    } else {
      statusLine("offline-banner").textContent = texts.needsConnection;
    }
  }

  // The outline says which activities are kept on this device, and which need a connection.
  function markOutline() {
    var links = document.querySelectorAll("a[data-offline-key]");
    if (!links.length || !user) { return Promise.resolve(); }
    return Promise.all(Array.prototype.map.call(links, function (link) {
      return isStored(link.getAttribute("href")).then(function (stored) {
        var old = link.parentNode.querySelector(".badge.offline");
        if (old) { old.remove(); }
        if (!stored && navigator.onLine) { return; }
        var badge = document.createElement("span");
        badge.className = "badge offline" + (stored ? " ok" : "");
        badge.textContent = stored ? texts.storedBadge : texts.needsConnectionBadge;
        link.parentNode.appendChild(badge);
      });
    }));
  }

  // The course page's panel: what saving downloads, what is stored, save and remove.
  function coursePanel(panel) {
    var summary = panel.querySelector("[data-offline-summary]");
    var stored = panel.querySelector("[data-offline-stored]");
    var save = panel.querySelector("[data-offline-save]");
    var remove = panel.querySelector("[data-offline-remove]");
    var cacheName = panel.dataset.cache;
    var fresh = null;
    function show() {
      return caches.has(cacheName).then(function (has) {
        return has ? storedManifest(cacheName) : null;
      }).then(function (kept) {
        remove.hidden = !kept;
        save.textContent = kept ? panel.dataset.updateLabel : panel.dataset.saveLabel;
        stored.textContent = kept ? fill(panel.dataset.storedText, { lessons: kept.lessons, size: size(kept.bytes) })
          : panel.dataset.notStoredText;
        return markOutline();
      });
    }
    panel.hidden = false;
    getManifest(panel.dataset.manifest).then(function (manifest) {
      if (manifest === "gone") { panel.hidden = true; return; }
      fresh = manifest;
      summary.textContent = fill(panel.dataset.sizeText, { lessons: manifest.lessons, size: size(manifest.bytes) });
    }).catch(function () { summary.textContent = texts.needsConnection; });
    save.addEventListener("click", function () {
      if (!fresh) { return; }
      save.disabled = true;
      storedManifest(cacheName).catch(function () { return null; }).then(function (old) {
        return update(fresh, old, function (done, total) {
          stored.textContent = fill(panel.dataset.savingText, { done: done, total: total });
        });
      }).then(show, function () { stored.textContent = texts.needsConnection; })
        .then(function () { save.disabled = false; });
    });
    remove.addEventListener("click", function () {
      caches.delete(cacheName).then(show);
    });
    return show();
  }

  // The page shown offline for a page not stored: the courses that are.
  function listStored(list) {
    return storedManifests().then(function (manifests) {
      if (!manifests.length) { return; }
      list.textContent = "";
      manifests.forEach(function (manifest) {
        var item = document.createElement("li");
        var course = document.createElement("a");
        course.href = manifest.entries[0].url;
        course.textContent = manifest.title;
        var lessons = document.createElement("ol");
        manifest.entries.filter(function (e) { return e.kind === "lesson"; }).forEach(function (e) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = e.url;
          a.textContent = e.title;
          li.appendChild(a);
          lessons.appendChild(li);
        });
        item.appendChild(course);
        item.appendChild(lessons);
        list.appendChild(item);
      });
    });
  }

  // "Hemat data": an image waits behind a button until the learner asks for it.
  function holdImages() {
    document.querySelectorAll("img[data-src]").forEach(function (img) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary show-image";
      button.textContent = img.alt ? fill(texts.showImageNamed, { alt: img.alt }) : texts.showImage;
      button.addEventListener("click", function () {
        img.src = img.dataset.src;
        img.removeAttribute("data-src");
        button.remove();
      });
      img.parentNode.insertBefore(button, img);
    });
  }

  holdImages();
  document.addEventListener("submit", onSubmit);
  showConnection();
  window.addEventListener("offline", function () { showConnection(); markOutline(); });
  if (!supported) { return; }
  window.addEventListener("online", function () {
    showConnection();
    sendQueue().then(refreshAll).then(markOutline);
  });
  if (texts.sw) {
    navigator.serviceWorker.register(texts.sw, { scope: "/" }).catch(function () { return null; });
  }
  forgetOthers().then(function () {
    var panel = document.getElementById("offline-save");
    var list = document.getElementById("stored-courses");
    var last = Number(localStorage.getItem("kelas-offline-refreshed") || 0);
    return Promise.all([
      showWaiting(),
      sendQueue(),
      Date.now() - last > REFRESH_EVERY ? refreshAll() : null,
      panel ? coursePanel(panel) : markOutline(),
      list ? listStored(list) : null,
    ]);
  }).catch(function () { return null; });
}());
