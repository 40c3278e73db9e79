// Kelas ASN's service worker: serve the lessons a learner saved when the network does not answer.
// It stores nothing by itself: the page scripts (static/offline/) fill one cache per learner and course
// with what the server's offline manifest lists, and empties them on sign-out. POST requests (a
// quiz's answers, an upload, a discussion post) always go to the network and are never kept.
"use strict";

var PREFIX = "kelas-offline-";
var FALLBACK = "/offline/";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function stored(request) {
  return caches.keys().then(function (names) {
    var ours = names.filter(function (name) { return name.indexOf(PREFIX) === 0; });
    return ours.reduce(function (found, name) {
      return found.then(function (hit) {
        return hit || caches.open(name).then(function (cache) { return cache.match(request, { ignoreSearch: true }); });
      });
    }, Promise.resolve(undefined));
  });
}

function offlineAnswer(request) {
  return stored(request).then(function (hit) {
    if (hit) { return hit; }
    if (request.mode !== "navigate") { return Response.error(); }
    return stored(FALLBACK).then(function (page) {
      return page || new Response("<!doctype html><title>Offline</title><p>Tidak ada koneksi internet.</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  // Only pages and what they show: the page script's own requests (the offline manifest, the
  // progress it sends) go straight to the network and fail there when offline.
  if (request.mode !== "navigate" && ["style", "script", "image"].indexOf(request.destination) < 0) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    // Fingerprinted files never change under one name: a stored copy is as good as a fresh one.
    event.respondWith(stored(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  event.respondWith(fetch(request).then(function (response) {
    // A server or proxy that fails on a weak link: the stored copy is better than an error page.
    if (response.status >= 500) {
      return stored(request).then(function (hit) { return hit || response; });
    }
    return response;
  }, function () { return offlineAnswer(request); }));
});
