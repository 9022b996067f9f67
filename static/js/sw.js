// Service worker: keeps the app shell, the pages a participant opened, the walk's data and the
// map tiles they have seen on the phone, so the map opens without a connection. Served at /sw.js
// by mapapp/pwa, which fills in CONFIG (a content version, the shell's URLs, the offline page per
// language, the tile URL patterns and how many tiles to keep); a new version replaces the old
// shell. Sending is not done here: the page's outbox (outbox.js) queues and sends findings, so
// POST/PUT/PATCH/DELETE pass straight through to the network (joining a walk offline excepted).

const CONFIG = { version: 'dev', precache: [], pages: ['/'], offline: {}, tiles: [], tileEntries: 2000 };

const SHELL = `mapapp-shell-${CONFIG.version}`; // static files and pages of this version
const DATA = 'mapapp-data'; // API answers, kept across versions
const PHOTOS = 'mapapp-photos'; // stored photos: their URLs name their content, so never stale
const TILES = 'mapapp-tiles'; // map tiles seen, kept across versions, at most CONFIG.tileEntries
const SETTINGS = 'mapapp-settings'; // the language of the last page, for the offline page
const LANGUAGE_KEY = '/offline/language';
const PAGE_TIMEOUT_MS = 4000; // weak mobile data: show the stored page rather than wait longer
const API_TIMEOUT_MS = 8000;
const DATA_ENTRIES = 80; // bbox queries of the overview map would otherwise pile up
const PHOTO_ENTRIES = 150;
// The maps and a walk's join page ("Infos zur Begehung"). The join page carries a form token:
// its stored copy is only shown without a connection, and joining offline opens the stored map.
const JOIN = /^\/w\/[^/]+$/;
const WALK_MAP = /^(\/w\/[^/]+)\/map\/?$/;
const PAGES = [/^\/$/, WALK_MAP, JOIN];
// /api/me/findings: the phone's own findings ("Meine Funde"), one participant per browser.
const API = [/^\/api\/categories$/, /^\/api\/walks(\/[^/]+)?$/, /^\/api\/findings$/, /^\/api\/districts$/, /^\/api\/viewport$/,
  /^\/api\/me\/findings$/];
// Query parameters that select different data (a cached answer must agree on these).
const IDENTITY_PARAMS = ['walk', 'level'];
const STATIC = /^\/(static|vendor)\/.+\.(js|mjs|css|png|svg|woff2?)$/;
const PHOTO = /^\/photos\/[0-9a-f]{64}\/(web|thumb)\.jpg$/;
const TILE = CONFIG.tiles.map((source) => new RegExp(source)); // absolute tile URLs
const MATCH = { ignoreVary: true };

const matches = (patterns, path) => patterns.some((pattern) => pattern.test(path));
const isTile = (url) => TILE.some((pattern) => pattern.test(url.href));

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
  const shell = [...CONFIG.precache, ...Object.values(CONFIG.offline)];
  await cache.addAll(shell.map((url) => new Request(url, { cache: 'reload' })));
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
// Every page also says its language, so that the offline page speaks it.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'claim') event.waitUntil(self.clients.claim());
  if (event.data?.type === 'language') event.waitUntil(rememberLanguage(event.data.lang));
  if (event.data?.type !== 'store') return;
  const all = (event.data.urls ?? []).map((href) => new URL(href, self.location.origin));
  const urls = all.filter((url) => url.origin === self.location.origin);
  const pages = withJoinPages(urls.filter((url) => matches(PAGES, url.pathname)));
  const answers = urls.filter((url) => matches(API, url.pathname));
  const tiles = all.filter(isTile);
  event.waitUntil(Promise.all([storeCopies(SHELL, pages, Infinity), storeAnswers(answers), storeTiles(tiles)])
    .then(() => event.ports[0]?.postMessage('stored')));
});

const storeAnswers = (urls) => storeCopies(DATA, urls, DATA_ENTRIES);

/** A walk's map comes with its join page ("Infos zur Begehung"), often left before it was stored. */
function withJoinPages(pages) {
  const joins = pages.map((url) => url.pathname.match(WALK_MAP)?.[1]).filter(Boolean)
    .map((path) => new URL(path, self.location.origin));
  return [...pages, ...joins];
}

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
  const url = new URL(request.url);
  if (request.method === 'POST' && request.mode === 'navigate' && JOIN.test(url.pathname)) {
    event.respondWith(join(request, url));
    return;
  }
  if (request.method !== 'GET') return;
  if (isTile(url)) {
    event.respondWith(tile(event));
    return;
  }
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(matches(PAGES, url.pathname) ? page(event) : fetch(request).catch(() => offlinePage()));
  } else if (matches(API, url.pathname)) {
    event.respondWith(networkFirst(event, DATA, API_TIMEOUT_MS));
  } else if (STATIC.test(url.pathname) || CONFIG.precache.includes(url.pathname)) {
    event.respondWith(cacheFirst(event, SHELL, Infinity));
  } else if (PHOTO.test(url.pathname)) {
    event.respondWith(cacheFirst(event, PHOTOS, PHOTO_ENTRIES).catch(() => photoPlaceholder()));
  }
});

async function page(event) {
  const joinPages = withJoinPages([new URL(event.request.url)]).slice(1);
  if (joinPages.length) event.waitUntil(storeCopies(SHELL, joinPages, Infinity));
  try {
    return await networkFirst(event, SHELL, PAGE_TIMEOUT_MS);
  } catch {
    return offlinePage();
  }
}

/** Joining from a stored join page without a connection: the walk's stored map, if there is one. */
async function join(request, url) {
  try {
    return await fetch(request);
  } catch {
    const map = `${url.pathname}/map`;
    if (await caches.match(map, MATCH)) return Response.redirect(new URL(map, self.location.origin).href, 303);
    return offlinePage();
  }
}

async function rememberLanguage(lang) {
  if (typeof lang !== 'string' || !(lang in CONFIG.offline)) return;
  const cache = await caches.open(SETTINGS);
  await cache.put(LANGUAGE_KEY, new Response(lang));
}

/** The language of the last page shown, else the phone's first language the app speaks, else the first. */
async function offlineLanguage() {
  const stored = await (await caches.open(SETTINGS)).match(LANGUAGE_KEY);
  const remembered = stored ? await stored.text() : null;
  if (remembered in CONFIG.offline) return remembered;
  const spoken = (navigator.languages ?? []).map((tag) => tag.toLowerCase().split('-')[0]);
  return spoken.find((lang) => lang in CONFIG.offline) ?? Object.keys(CONFIG.offline)[0];
}

/** The app's page "no connection, this page is not stored", in the participant's language. */
async function offlinePage() {
  const cache = await caches.open(SHELL);
  const stored = await cache.match(CONFIG.offline[await offlineLanguage()], MATCH);
  if (!stored) return Response.error();
  return new Response(await stored.blob(), { status: 503, headers: stored.headers });
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

// ---- map tiles ----------------------------------------------------------------------------
// A tile seen once is drawn again without a connection. A stored tile is used while the tile
// server's max-age says it is fresh, and after that too, while a fresh copy is fetched in the
// background (stale-while-revalidate). Answers marked no-store or private are never kept.

const STORED_AT = 'X-Mapapp-Stored'; // when a tile was stored (CORS answers hide their Date)
let corsRefused = false; // a tile host without CORS: its (opaque) tiles pass through, unkept
let trimming = null;
let trimAgain = false;

async function tile(event) {
  const { request } = event;
  const stored = await caches.match(request.url, MATCH); // also tiles stored for a walk's area
  if (stored && fresh(stored)) return stored;
  const network = fetchTile(request.url, request);
  event.waitUntil(network.then(({ kept }) => kept, () => {}));
  return stored ?? network.then(({ response }) => response);
}

/**
 * Fetch a tile (readably, with CORS, when it is on another host); `kept` settles once a copy
 * is stored, if the tile server allows it.
 */
async function fetchTile(href, request = href) {
  const url = new URL(href);
  const response = url.origin === self.location.origin || corsRefused
    ? await fetch(request)
    : await fetch(href, { mode: 'cors', credentials: 'omit' }).catch(async (err) => {
      if (!self.navigator.onLine) throw err;
      corsRefused = true;
      return fetch(request);
    });
  const kept = keepable(response) ? keepTile(href, response.clone()) : Promise.resolve();
  return { response, kept };
}

/** Store the tiles a page loaded before this worker controlled it (those not kept yet). */
async function storeTiles(urls) {
  await Promise.all(urls.map(async (url) => {
    try {
      if (!(await caches.match(url.href, MATCH))) await (await fetchTile(url.href)).kept;
    } catch {
      // Offline again: kept when it is next shown.
    }
  }));
}

function cacheControl(response) {
  return (response.headers.get('Cache-Control') ?? '').toLowerCase();
}

function keepable(response) {
  if (response.status !== 200 || !['basic', 'cors'].includes(response.type)) return false;
  return !/(^|[\s,])(no-store|private)([\s,=]|$)/.test(cacheControl(response));
}

/** Fresh while younger than max-age (or before Expires); no-cache or neither: stale at once. */
function fresh(stored) {
  const control = cacheControl(stored);
  const storedAt = Number(stored.headers.get(STORED_AT));
  if (/(^|[\s,])no-cache([\s,=]|$)/.test(control) || !storedAt) return false;
  const maxAge = control.match(/(?:^|[\s,])max-age=(\d+)/);
  if (maxAge) return Date.now() - storedAt < Number(maxAge[1]) * 1000;
  const expires = Date.parse(stored.headers.get('Expires') ?? '');
  return Number.isFinite(expires) && Date.now() < expires;
}

async function keepTile(href, response) {
  try {
    const headers = new Headers(response.headers);
    headers.set(STORED_AT, String(Date.now()));
    const copy = new Response(await response.blob(), { status: 200, statusText: response.statusText, headers });
    const cache = await caches.open(TILES);
    await cache.delete(href, MATCH); // a refreshed tile counts as the newest
    await cache.put(href, copy);
    await trimTiles();
  } catch {
    // Storage full or the tile was cut off: the previous copy (if any) stays.
  }
}

/** Keep at most CONFIG.tileEntries tiles, dropping the longest stored; one pass at a time. */
function trimTiles() {
  if (trimming) {
    trimAgain = true;
    return trimming;
  }
  trimming = (async () => {
    do {
      trimAgain = false;
      const cache = await caches.open(TILES);
      const keys = await cache.keys();
      const excess = keys.slice(0, Math.max(0, keys.length - CONFIG.tileEntries));
      await Promise.all(excess.map((key) => cache.delete(key)));
    } while (trimAgain);
  })().finally(() => { trimming = null; });
  return trimming;
}
