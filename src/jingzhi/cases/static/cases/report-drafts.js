/* Report drafts kept on the phone while the network is down (saved by cases/report-form.js).
 *
 * A draft is the report form's fields, photos included, stored in IndexedDB under the form's
 * token. The token is the request's idempotency key (core/idempotency.py): however often a draft
 * is sent again (the network returned, the page was opened again, the first try did reach the
 * server after all), the server registers one case. Drafts are sent when the browser comes back
 * online and whenever a page that loads this script opens; an element with data-draft-notice
 * tells the person what became of them (its data- attributes carry the translated words); on the
 * portal's pages it also names the service worker that keeps the report page for offline use.
 */
(function (global) {
  "use strict";

  const DATABASE = "jingzhi-report-drafts";
  const STORE = "drafts";

  function database() {
    return new Promise(function (resolve, reject) {
      const request = global.indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "token"}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(STORE, mode);
        const request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function save(draft) { return run("readwrite", function (store) { return store.put(draft); }); }
  function remove(token) { return run("readwrite", function (store) { return store.delete(token); }); }
  function all() { return run("readonly", function (store) { return store.getAll(); }); }

  /* The CSRF cookie as it is now: a draft written on a page kept offline (the portal's service
   * worker) may carry a token of an older cookie; the cookie's own value is a valid token too. */
  function csrfCookie() {
    const found = document.cookie.split("; ").find(function (part) { return part.indexOf("csrftoken=") === 0; });
    return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
  }

  function body(draft) {
    const data = new FormData();
    const csrf = csrfCookie();
    draft.fields.forEach(function (field) {
      data.append(field[0], field[0] === "csrfmiddlewaretoken" && csrf ? csrf : field[1]);
    });
    return data;
  }

  function notice(kind, url) {
    const element = document.querySelector("[data-draft-notice]");
    if (!element) { return; }
    element.textContent = element.dataset[kind] + " ";
    if (url) {
      const link = document.createElement("a");
      link.href = url;
      link.textContent = element.dataset.link;
      element.appendChild(link);
    }
    element.hidden = false;
    element.dataset.state = kind;
  }

  /* Send one draft: sent (the server answered with its redirect to the receipt), refused (bad
   * input: dropped, the person is told) or kept for the next try (no network, a server error,
   * too many reports from this address for now). */
  function send(draft) {
    return fetch(draft.action, {method: "POST", body: body(draft), credentials: "same-origin"}).then(
      function (response) {
        if (response.ok && response.redirected) {
          return remove(draft.token).then(function () { notice("sent", response.url); });
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          return remove(draft.token).then(function () { notice("refused", draft.page); });
        }
        return null;
      },
      function () { return null; });
  }

  let flushing = null;
  function flush() {
    if (flushing || !global.indexedDB || navigator.onLine === false) { return flushing || Promise.resolve(); }
    flushing = all().then(function (drafts) {
      return drafts.reduce(function (chain, draft) { return chain.then(function () { return send(draft); }); },
                           Promise.resolve());
    }).catch(function () { return null; }).then(function () { flushing = null; });
    return flushing;
  }

  global.jingzhiDrafts = {save: save, flush: flush, count: function () { return all().then(function (d) { return d.length; }); }};
  global.addEventListener("online", flush);
  flush();

  // The portal's pages name their service worker (portal/sw.js): the report page then opens offline.
  const worker = document.querySelector("[data-service-worker]");
  if (worker && navigator.serviceWorker) {
    navigator.serviceWorker.register(worker.dataset.serviceWorker).catch(function () { return null; });
  }
})(window);
