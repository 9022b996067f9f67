// Which requests the worker answers, and the pages: stored copies, joining offline, the offline page.

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
