// What pages show of the device's storage: the course page's save panel, the outline's badges,
// the offline page's list of saved courses, and "Hemat data" images behind a button.
(function (offline) {
  "use strict";
  var texts = offline.texts;
  var fill = offline.fill;
  var storage = offline.storage;

  // The outline says which activities are kept on this device, and which need a connection.
  function markOutline() {
    var links = document.querySelectorAll("a[data-offline-key]");
    if (!links.length || !offline.user) { return Promise.resolve(); }
    return Promise.all(Array.prototype.map.call(links, function (link) {
      return storage.isStored(link.getAttribute("href")).then(function (stored) {
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
        return has ? storage.storedManifest(cacheName) : null;
      }).then(function (kept) {
        remove.hidden = !kept;
        save.textContent = kept ? panel.dataset.updateLabel : panel.dataset.saveLabel;
        stored.textContent = kept ? fill(panel.dataset.storedText, { lessons: kept.lessons, size: offline.size(kept.bytes) })
          : panel.dataset.notStoredText;
        return markOutline();
      });
    }
    panel.hidden = false;
    storage.getManifest(panel.dataset.manifest).then(function (manifest) {
      if (manifest === "gone") { panel.hidden = true; return; }
      fresh = manifest;
      summary.textContent = fill(panel.dataset.sizeText, { lessons: manifest.lessons, size: offline.size(manifest.bytes) });
    }).catch(function () { summary.textContent = texts.needsConnection; });
    save.addEventListener("click", function () {
      if (!fresh) { return; }
      save.disabled = true;
      storage.storedManifest(cacheName).catch(function () { return null; }).then(function (old) {
        return storage.update(fresh, old, function (done, total) {
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
    return storage.storedManifests().then(function (manifests) {
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

  offline.panels = { markOutline: markOutline, coursePanel: coursePanel, listStored: listStored, holdImages: holdImages };
}(window.kelasOffline));
