// "Karte für unterwegs speichern" (join page, with the self-hosted basemap configured): stores
// the basemap tiles of the walk's area on the phone, so the walk map draws them without a
// connection. The server lists the tiles and their sizes (/basemap/area/<join code>); they are
// fetched a few at a time into their own cache, which the service worker (../worker/) reads like its
// tile cache but never trims. Shows n of N and the size, can be cancelled, and checks the free
// space first.

import { STRINGS, format } from '../shared/strings.js';

const AREA_CACHE = 'mapapp-area-tiles';
// The worker (../worker/tiles.js) takes a stored tile as fresh while younger than its max-age, counted from this header.
const STORED_AT = 'X-Mapapp-Stored';
const PARALLEL = 4;
const SPACE_MARGIN = 1.5; // decoded tiles and the cache's own bookkeeping take more than the download

const $ = (id) => document.getElementById(id);

/** "1,4 MB", "320 kB" in the page's language. */
function size(bytes) {
  const mega = bytes >= 1e6;
  const value = mega ? bytes / 1e6 : Math.max(bytes, 1e3) / 1e3;
  const unit = mega ? 'megabyte' : 'kilobyte';
  return new Intl.NumberFormat(STRINGS.locale, { style: 'unit', unit, maximumFractionDigits: mega ? 1 : 0 }).format(value);
}

/** Free bytes for this site, or Infinity when the browser does not say. */
async function freeSpace() {
  const estimate = await navigator.storage?.estimate?.();
  return estimate?.quota ? estimate.quota - (estimate.usage ?? 0) : Infinity;
}

/** Fetch one tile and keep it (a tile stored before is kept as it is). */
async function storeTile(cache, url, signal) {
  if (await cache.match(url)) return;
  const response = await fetch(url, { signal, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const headers = new Headers(response.headers);
  headers.delete('Content-Encoding'); // the body below is the decoded tile
  headers.delete('Content-Length');
  headers.set(STORED_AT, String(Date.now()));
  await cache.put(url, new Response(await response.blob(), { status: 200, headers }));
}

/**
 * Store `tiles` ({url, bytes}); `onTile(tile)` after each. Settles only when every fetch has
 * ended, so that no late tile reports progress after a cancel; rejects on abort or the first failure.
 */
async function storeTiles(tiles, signal, onTile) {
  const cache = await caches.open(AREA_CACHE);
  const queue = [...tiles];
  const worker = async () => {
    while (queue.length && !signal.aborted) {
      const tile = queue.shift();
      await storeTile(cache, tile.url, signal);
      if (!signal.aborted) onTile(tile);
    }
  };
  const results = await Promise.allSettled(Array.from({ length: PARALLEL }, worker));
  signal.throwIfAborted();
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Store the area's tiles, showing how many (and how many bytes) are stored so far. */
async function storeWithProgress(area, signal, ui, show) {
  await navigator.storage?.persist?.().catch(() => false);
  let done = 0;
  let bytes = 0;
  ui.progress.max = area.count || 1;
  const report = () => show(format(STRINGS.offlineArea.progress, {
    n: done, count: area.count, size: size(bytes), total: size(area.bytes),
  }));
  report();
  ui.status.scrollIntoView({ block: 'nearest' });
  await storeTiles(area.tiles, signal, (tile) => {
    done += 1;
    bytes += tile.bytes;
    ui.progress.value = done;
    report();
  });
  ui.progress.value = ui.progress.max;
}

function createOfflineArea(root) {
  const ui = {
    save: $('offline-area-save'), cancel: $('offline-area-cancel'),
    progress: $('offline-area-progress'), status: $('offline-area-status'),
  };
  let controller = null;

  const show = (text, kind = 'info') => {
    ui.status.textContent = text;
    ui.status.dataset.kind = kind;
  };
  const busy = (on) => {
    ui.save.hidden = on;
    ui.cancel.hidden = !on;
    ui.progress.hidden = !on && ui.progress.value < ui.progress.max; // a full bar stays
  };

  async function save() {
    controller = new AbortController();
    const { signal } = controller;
    root.dataset.state = 'saving';
    busy(true);
    ui.progress.value = 0;
    ui.cancel.focus();
    try {
      const response = await fetch(root.dataset.areaUrl, { signal, credentials: 'same-origin' });
      if (!response.ok) throw new Error(`area: ${response.status}`);
      const area = await response.json();
      const total = area.bytes;
      const free = await freeSpace();
      if (free < total * SPACE_MARGIN) {
        root.dataset.state = 'no-space';
        show(format(STRINGS.offlineArea.noSpace, { size: size(total * SPACE_MARGIN), free: size(free) }), 'error');
        return;
      }
      await storeWithProgress(area, signal, ui, show);
      root.dataset.state = 'saved';
      show(format(STRINGS.offlineArea.saved, { count: area.count, size: size(total) }));
    } catch (err) {
      if (signal.aborted) {
        root.dataset.state = 'cancelled';
        show(STRINGS.offlineArea.cancelled);
      } else {
        console.warn('mapapp: the walk area was not stored', err);
        root.dataset.state = 'failed';
        show(STRINGS.offlineArea.failed, 'error');
      }
    } finally {
      controller = null;
      busy(false);
      ui.save.focus();
      ui.status.scrollIntoView({ block: 'nearest' });
    }
  }

  ui.save.addEventListener('click', () => { if (!controller) save(); });
  ui.cancel.addEventListener('click', () => controller?.abort());
}

const root = $('offline-area');
if (root && 'caches' in window) {
  root.hidden = false;
  createOfflineArea(root);
}
