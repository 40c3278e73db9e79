// Saved courses: one cache per learner and course, filled from the server's offline manifest
// (offline.json), kept fresh while online, and removed on sign-out or for another learner.
(function (offline) {
  "use strict";
  var REFRESH_EVERY = 5 * 60 * 1000;
  var path = offline.path;

  function ourCaches() {
    return caches.keys().then(function (names) {
      return names.filter(function (name) { return offline.user && name.indexOf(offline.mine) === 0; });
    });
  }
  // The manifest a cache was filled from (kept in it), or null.
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

  function deleteCaches(which) {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(which).map(function (n) { return caches.delete(n); }));
    });
  }
  // A shared device keeps one learner's things: the next learner's first page drops the others'.
  function forgetOthers() {
    if (!offline.user) { return Promise.resolve(); }
    return deleteCaches(function (n) { return n.indexOf(offline.PREFIX) === 0 && n.indexOf(offline.mine) !== 0; })
      .then(offline.queue.dropOthers);
  }
  function clearDevice() {
    offline.leaving = true;
    return deleteCaches(function (n) { return n.indexOf(offline.PREFIX) === 0; }).then(offline.queue.dropAll);
  }

  function fetchInto(cache, url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Offline-Save": "1" } }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error(url + ": " + response.status); }
      if (offline.leaving) { throw new Error("signing out"); }
      return cache.put(url, response);
    });
  }
  // Download what the manifest lists and the cache lacks or holds in an older version; drop the rest.
  function update(fresh, old, progress) {
    var before = {};
    ((old && old.entries) || []).forEach(function (e) { before[e.url] = e.version; });
    if (offline.leaving) { return Promise.reject(new Error("signing out")); }
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
        if (offline.leaving) { throw new Error("signing out"); }
        return cache.put(fresh.url, new Response(JSON.stringify(fresh), { headers: { "Content-Type": "application/json" } }));
      });
    });
  }
  // The course's manifest from the server, or "gone" when the learner may no longer have it.
  function getManifest(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (response) {
      if (response.status === 403 || response.status === 404) { return "gone"; }
      if (!response.ok || response.redirected) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }
  // Bring every stored course up to date: changed lessons again, removed ones out, lost courses gone.
  function refreshAll() {
    if (!navigator.onLine || !offline.user) { return Promise.resolve(); }
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
  function refreshDue() {
    return Date.now() - Number(localStorage.getItem("kelas-offline-refreshed") || 0) > REFRESH_EVERY;
  }
  // The stored copies of pages whose state the server just changed (a lesson now done).
  function refreshPages(items) {
    if (offline.leaving) { return Promise.resolve(); }
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

  offline.storage = {
    storedManifest: storedManifest, storedManifests: storedManifests, isStored: isStored,
    forgetOthers: forgetOthers, clearDevice: clearDevice, update: update, getManifest: getManifest,
    refreshAll: refreshAll, refreshDue: refreshDue, refreshPages: refreshPages,
  };
}(window.kelasOffline));
