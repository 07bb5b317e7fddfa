/* The check-in app's service worker (rendered by events/views/checkin_app.py; its scope is the app's path).
   It caches the app shell at install and answers from that cache when the network is down.
   Data (state, counts, sync) always goes to the network: the page keeps its own copy in IndexedDB. */
"use strict";
const CACHE = "ascnhub-checkin-{{ version }}";
const SHELL = {{ shell_json|safe }};
const APP_URL = {{ app_url|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("ascnhub-checkin-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === APP_URL) {
    // Network first, so a signed-in page with fresh data wins; the cached shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(APP_URL, copy));
          }
          return response;
        })
        .catch(() => caches.match(APP_URL))
    );
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
