{% autoescape off %}/* The citizen portal's service worker (scope /p/): the report page opens without a network.
 *
 * The home and report pages, and the static files they name, are fetched when the worker installs
 * and kept in the browser's Cache Storage; later every answer to one of those pages or to a static
 * file is fetched from the network first and kept, and taken from what is kept when the network
 * fails. Nothing else is touched (the API, receipts, the case pages: they need the server). A report
 * written offline is kept in IndexedDB and sent once the network returns (cases/report-drafts.js).
 * Served by portal.views.service_worker: every file comes from this server, none from a CDN.
 * Version {{ version }}: a new deployment of these files installs afresh. */
"use strict";

const CONFIG = {{ config }};
const CACHE = "jingzhi-portal-" + CONFIG.version;

function keepPage(cache, url) {
  return fetch(url, {credentials: "same-origin"}).then(function (response) {
    if (!response.ok) { throw new Error(url + " answered " + response.status); }
    return response.clone().text().then(function (html) {
      const assets = new Set();
      const pattern = /(?:src|href)="([^"]+)"/g;
      let match;
      while ((match = pattern.exec(html)) !== null) {
        if (match[1].indexOf(CONFIG.staticUrl) === 0) { assets.add(match[1].replace(/&amp;/g, "&")); }
      }
      return cache.put(url, response).then(function () { return cache.addAll(Array.from(assets)); });
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(CONFIG.pages.map(function (url) { return keepPage(cache, url); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("jingzhi-portal-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  const page = request.mode === "navigate" && CONFIG.pages.indexOf(url.pathname) !== -1;
  if (!page && url.pathname.indexOf(CONFIG.staticUrl) !== 0) { return; }
  const key = page ? url.pathname : request;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(key, copy); }));
    }
    return response;
  }, function () {
    return caches.match(key).then(function (kept) { return kept || Response.error(); });
  }));
});
{% endautoescape %}
