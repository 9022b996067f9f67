// Service worker: keeps the app shell, the pages a participant opened and the walk's data on
// the phone, so the map opens without a connection. Served at /sw.js by mapapp/pwa, which
// fills in CONFIG (a content version and the shell's URLs); a new version replaces the old
// caches. Sending is not done here: the page's outbox (outbox.js) queues and sends findings,
// so POST/PUT/PATCH/DELETE pass straight through to the network. Map tiles are left alone.

const CONFIG = { version: 'dev', precache: [], pages: ['/'] };

const SHELL = `mapapp-shell-${CONFIG.version}`; // static files and pages of this version
const DATA = 'mapapp-data'; // API answers, kept across versions
const PHOTOS = 'mapapp-photos'; // stored photos: their URLs name their content, so never stale
const PAGE_TIMEOUT_MS = 4000; // weak mobile data: show the stored page rather than wait longer
const API_TIMEOUT_MS = 8000;
const DATA_ENTRIES = 80; // bbox queries of the overview map would otherwise pile up
const PHOTO_ENTRIES = 150;
// The maps only: the join page carries a form token that must not go stale in a cache.
const PAGES = [/^\/$/, /^\/w\/[^/]+\/map\/?$/];
const API = [/^\/api\/categories$/, /^\/api\/walks(\/[^/]+)?$/, /^\/api\/findings$/, /^\/api\/districts$/, /^\/api\/viewport$/];
// Query parameters that select different data (a cached answer must agree on these).
const IDENTITY_PARAMS = ['walk', 'level'];
const STATIC = /^\/(static|vendor)\/.+\.(js|mjs|css|png|svg|woff2?)$/;
const PHOTO = /^\/photos\/[0-9a-f]{64}\/(web|thumb)\.jpg$/;
const MATCH = { ignoreVary: true };

const OFFLINE_PAGE = `<!doctype html><html lang="de"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline</title>
<h1>Keine Verbindung</h1><p>Diese Seite ist auf dem Gerät noch nicht gespeichert.
Gespeicherte Funde werden gesendet, sobald das Netz wieder da ist.</p><p><a href="/">Zur Karte</a></p>`;

const matches = (patterns, path) => patterns.some((pattern) => pattern.test(path));

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith('mapapp-shell-') && name !== SHELL)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

/** The shell must be complete (else the install fails and is retried); pages are best effort. */
async function precache() {
  const cache = await caches.open(SHELL);
  await cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: 'reload' })));
  // The page that registers the worker (e.g. a walk map) is stored too, so it opens offline.
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const pages = new Set(CONFIG.pages);
  for (const client of windows) {
    const url = new URL(client.url);
    if (url.origin === self.location.origin && matches(PAGES, url.pathname)) pages.add(url.pathname + url.search);
  }
  await Promise.all([...pages].map(async (url) => {
    try {
      const response = await fetch(url, { cache: 'reload', credentials: 'same-origin' });
      if (response.status === 200 && !response.redirected) await cache.put(url, response);
    } catch {
      // No connection right now: the page is stored when it is next opened online.
    }
  }));
}

// A page that loaded before this worker controlled it sends its own URL and the API answers
// it used: fetch and store them, so that this page opens offline too.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'claim') event.waitUntil(self.clients.claim());
  if (event.data?.type !== 'store') return;
  const urls = (event.data.urls ?? []).map((href) => new URL(href, self.location.origin))
    .filter((url) => url.origin === self.location.origin);
  const pages = urls.filter((url) => matches(PAGES, url.pathname));
  const answers = urls.filter((url) => matches(API, url.pathname));
  event.waitUntil(Promise.all([storeCopies(SHELL, pages, Infinity), storeAnswers(answers)])
    .then(() => event.ports[0]?.postMessage('stored')));
});

const storeAnswers = (urls) => storeCopies(DATA, urls, DATA_ENTRIES);

async function storeCopies(cacheName, urls, max) {
  const cache = await caches.open(cacheName);
  await Promise.all(urls.map(async (url) => {
    try {
      if (await cache.match(url.href, MATCH)) return;
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      if (response.status === 200 && !response.redirected) await store(cache, new Request(url), response, max);
    } catch {
      // Offline again: stored on the next visit.
    }
  }));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    if (matches(PAGES, url.pathname)) event.respondWith(page(event));
  } else if (matches(API, url.pathname)) {
    event.respondWith(networkFirst(event, DATA, API_TIMEOUT_MS));
  } else if (STATIC.test(url.pathname) || CONFIG.precache.includes(url.pathname)) {
    event.respondWith(cacheFirst(event, SHELL, Infinity));
  } else if (PHOTO.test(url.pathname)) {
    event.respondWith(cacheFirst(event, PHOTOS, PHOTO_ENTRIES).catch(() => photoPlaceholder()));
  }
});

async function page(event) {
  try {
    return await networkFirst(event, SHELL, PAGE_TIMEOUT_MS);
  } catch {
    return new Response(OFFLINE_PAGE, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  }
}

/**
 * The network's answer, stored for later; the stored one when the network fails or is slower
 * than `timeoutMs` (the network answer then still refreshes the store).
 */
async function networkFirst(event, cacheName, timeoutMs) {
  const { request } = event;
  const cache = await caches.open(cacheName);
  const max = cacheName === DATA ? DATA_ENTRIES : Infinity;
  const network = fetch(request).then((response) => {
    if (response.status === 200 && response.type === 'basic') {
      event.waitUntil(store(cache, request, response.clone(), max));
    } else if (response.status === 304) {
      // The page polls with If-None-Match: make sure a full copy is stored at least once.
      event.waitUntil(cache.match(request, MATCH).then((stored) => stored ?? storeAnswers([new URL(request.url)])));
    }
    return response;
  });
  event.waitUntil(network.catch(() => {}));
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); });
  const first = await Promise.race([
    network.then((response) => (response.status >= 500 ? 'failed' : 'network'), () => 'failed'),
    timeout.then(() => 'slow'),
  ]);
  clearTimeout(timer);
  if (first === 'network') return network;
  const stored = await storedAnswer(cache, request);
  return stored ?? network; // nothing stored: wait for the network (or its failure)
}

/** Store an answer; keep at most `max` entries, dropping the longest unchanged (e.g. old bbox views). */
async function store(cache, request, response, max) {
  try {
    await cache.put(request, response);
    if (max === Infinity) return;
    const keys = await cache.keys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map((key) => cache.delete(key)));
  } catch {
    // Storage full or the answer was cut off: the previous copy stays.
  }
}

/** The exact stored answer, else one for the same path that agrees on IDENTITY_PARAMS (e.g. another bbox). */
async function storedAnswer(cache, request) {
  const exact = await cache.match(request, MATCH);
  if (exact) return exact;
  const wanted = new URL(request.url);
  const same = (await cache.keys(request, { ...MATCH, ignoreSearch: true })).filter((key) => {
    const url = new URL(key.url);
    return IDENTITY_PARAMS.every((name) => url.searchParams.get(name) === wanted.searchParams.get(name));
  });
  return same.length ? cache.match(same[same.length - 1], MATCH) : undefined;
}

/** Stands in for a photo that was never seen online (a grey tile with a crossed-out camera). */
function photoPlaceholder() {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#dde2e7"/>'
    + '<path d="M11 15h5l2-3h4l2 3h5v13H11z" fill="none" stroke="#4a5563" stroke-width="2"/>'
    + '<path d="M9 31 31 9" stroke="#4a5563" stroke-width="2"/></svg>';
  return new Response(svg, { headers: { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-store' } });
}

async function cacheFirst(event, cacheName, max) {
  const { request } = event;
  const stored = (await caches.match(request, MATCH)) ?? (await unversioned(request, cacheName));
  if (stored) return stored;
  const response = await fetch(request);
  if (response.status === 200 && response.type === 'basic') {
    const copy = response.clone();
    event.waitUntil(caches.open(cacheName).then((cache) => store(cache, request, copy, max)));
  }
  return response;
}

/**
 * The shell stores files under their content-versioned URLs (`?v=<hash>`, as the pages ask for
 * them); a request for the same path without `v` (a stylesheet's url(), a module import) gets
 * this version's copy. A request with a `v` must match exactly, so a stale copy is never used.
 */
async function unversioned(request, cacheName) {
  if (cacheName !== SHELL || new URL(request.url).search) return undefined;
  const cache = await caches.open(SHELL);
  return cache.match(request, { ...MATCH, ignoreSearch: true });
}
