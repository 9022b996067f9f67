// Map tiles: a tile seen once is drawn again without a connection. A stored tile is used while
// the tile server's max-age says it is fresh, and after that too, while a fresh copy is fetched in
// the background (stale-while-revalidate). Answers marked no-store or private are never kept.

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
