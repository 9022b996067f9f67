// Loading the findings a map shows: on `/` the view from /api/viewport, reloaded (debounced)
// when the map moves; on a walk all its findings, polled while the page is visible with
// If-None-Match so that an unchanged list costs a 304. `layers` is the state of
// createFindingsLayer (findings.js).

import { STRINGS } from './strings.js';
import { getJSON, isAbort } from './api.js';
import { renderEntries } from './finding-entries.js';

export const FINDINGS_LIMIT = 1000;
const RELOAD_DEBOUNCE_MS = 300;
const POLL_MS = 15000;

/** "W,S,E,N" of the visible map, clamped to valid coordinates. */
function bboxOf(map) {
  const b = map.getBounds();
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(6);
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
}

/**
 * GET the walk's findings with If-None-Match; resolves to null when unchanged (304).
 * Plain fetch: the ETag handshake needs the response headers, which api.js does not expose.
 */
async function fetchWalkFindings(url, walkId, etag, signal) {
  const target = new URL(url, document.baseURI);
  target.searchParams.set('walk', walkId);
  target.searchParams.set('limit', FINDINGS_LIMIT);
  const headers = { Accept: 'application/geo+json, application/json' };
  if (etag) headers['If-None-Match'] = etag;
  const response = await fetch(target, { headers, credentials: 'same-origin', signal, cache: 'no-cache' });
  if (response.status === 304) return { data: null, etag };
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return { data: await response.json(), etag: response.headers.get('ETag') };
}

async function load(layers, signal) {
  if (layers.walkId) {
    const result = await fetchWalkFindings(layers.url, layers.walkId, layers.etag, signal);
    layers.etag = result.etag;
    return result.data;
  }
  const { map } = layers;
  return getJSON(layers.viewportUrl, { params: { bbox: bboxOf(map), zoom: Math.floor(map.getZoom()) }, signal });
}

/**
 * Draw a loaded answer: a walk's findings, or a view's cells or findings. The page's data
 * attributes say what is shown once it all is; a newer answer arriving meanwhile says instead.
 */
async function show(layers, data) {
  const features = Array.isArray(data.features) ? data.features : [];
  let complete;
  if (data.mode === 'cells') {
    complete = await renderEntries(layers, []);
    layers.cells.render(features);
  } else {
    layers.cells.clear();
    complete = await renderEntries(layers, features);
  }
  if (!complete) return features;
  document.body.dataset.viewMode = data.mode ?? 'findings';
  document.body.dataset.findingsLoaded = String(data.total ?? features.length);
  return features;
}

/** Load and draw anew (a running load is aborted); the first load resolves `firstLoad`. */
export async function reload(layers) {
  clearTimeout(layers.timer);
  layers.controller?.abort();
  const ctrl = new AbortController();
  layers.controller = ctrl;
  try {
    const data = await load(layers, ctrl.signal);
    if (data) {
      const features = await show(layers, data);
      const full = Boolean(layers.walkId) && features.length >= FINDINGS_LIMIT;
      if (full && !layers.truncated) layers.announce(STRINGS.findingsTruncated);
      layers.truncated = full;
    }
    layers.failed = false;
  } catch (err) {
    if (isAbort(err)) return; // superseded by a newer request
    if (!layers.failed) layers.announce(STRINGS.errors.findings, 'error');
    layers.failed = true;
    console.warn('findings load failed', err);
  } finally {
    if (layers.controller === ctrl) layers.controller = null;
    if (layers.walkId) schedulePoll(layers);
  }
  layers.resolveFirstLoad();
}

function scheduleReload(layers) {
  clearTimeout(layers.timer);
  layers.timer = setTimeout(() => reload(layers), RELOAD_DEBOUNCE_MS);
}

/** Walk mode: next poll in POLL_MS, none while the page is hidden. */
function schedulePoll(layers) {
  clearTimeout(layers.timer);
  if (!document.hidden) layers.timer = setTimeout(() => reload(layers), POLL_MS);
}

/** A walk polls while the page is visible; the view of `/` reloads when the map moves. */
export function reloadWhenNeeded(layers) {
  if (layers.walkId) {
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) {
        clearTimeout(layers.timer);
        layers.controller?.abort();
      } else {
        reload(layers);
      }
    });
  } else {
    layers.map.on('moveend', () => scheduleReload(layers));
    layers.group.on('add', () => scheduleReload(layers)); // re-enabled in the layer control
  }
}
