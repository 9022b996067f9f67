// Network-first for pages and API answers, cache-first for files and photos, bounded stores.

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
