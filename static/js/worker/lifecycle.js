// Installing, activating and storing what a page asks for (the worker's life cycle and messages).

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
