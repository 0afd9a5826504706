// The kiosk's service worker: every file of the bundle is cached when it is installed, and
// served from the cache (the network only for what is not there), so that the kiosk
// keeps working offline. PRECACHE (above) names the version and the files.
"use strict";
const CACHE = "gd-kiosk-" + PRECACHE.version;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE)
    // past the browser's HTTP cache: a file of the release before (same name, an older
    // or equal time stamp) must not fill this version's cache
    .then((cache) => cache.addAll(PRECACHE.files.map(
      (file) => new Request(file, { cache: "reload" }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys
      .filter((key) => key.startsWith("gd-kiosk-") && key !== CACHE)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  const wanted = request.mode === "navigate" && url.pathname.endsWith("/")
    ? new URL("index.html", url) : request;
  event.respondWith(caches.open(CACHE)
    .then((cache) => cache.match(wanted, { ignoreSearch: true }))
    .then((hit) => hit || fetch(request)));
});
