// A walk's public results page (/w/<code>/results): the map of the walk's findings as grouped
// pins (the same modules as the walk's map, with the page's public GeoJSON), tiles from another
// site only after the reader asks for them, the widget snippet's copy button, and the updates
// opened for printing.

import { createMap, createDistrictLayer } from '../shared/map.js';
import { createFindingsLayer } from '../shared/findings.js';
import { showWalk, walkOutlineOptions } from '../shared/walkmap.js';
import { L } from '../shared/leaflet.js';

function readConfig() {
  return JSON.parse(document.getElementById('results-config')?.textContent || 'null');
}

/** Errors go to the console only: the page says everything else without the map. */
const announce = (text, kind) => {
  if (kind === 'error') console.warn(text);
};

/**
 * A third party's tiles only after consent: the page itself loads nothing from another site.
 * The button says where the tiles come from; one tap adds the layer.
 */
function offerTiles(map, tiles) {
  const button = document.getElementById('tiles-consent');
  if (!button || !tiles.url) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    L.tileLayer(tiles.url, { attribution: tiles.attribution ?? '', maxZoom: Number(tiles.max_zoom) || 19 }).addTo(map);
    map.getContainer().classList.remove('map--no-tiles');
    button.hidden = true;
  }, { once: true });
}

function showMap(config) {
  const element = document.getElementById('results-map');
  if (!element || !config) return null;
  const tiles = config.tiles ?? {};
  const { map } = createMap(element, { ...config, tiles: tiles.third_party ? { ...tiles, url: '' } : tiles });
  if (tiles.third_party) offerTiles(map, tiles);
  const walk = showWalk(map, config.walk ?? {});
  const outlines = walkOutlineOptions(map);
  const quarters = createDistrictLayer(config.api.districts, 'ortsteil', { ...outlines.ortsteil, onError: () => {} });
  quarters.addTo(map);
  const outlined = quarters.load().then(() => walk.route?.bringToFront(), () => {});
  const findings = createFindingsLayer(map, { url: config.api.findings, walkId: config.walk_id, announce });
  findings.layer.addTo(map);
  findings.reload();
  const shown = findings.firstLoad.then(() => fitToFindings(map, config.walk?.bounds, findings.layer));
  return Promise.allSettled([shown, outlined]);
}

/** The view holds the walk and every finding, also one made beyond the walk's area. */
function fitToFindings(map, walkBounds, layer) {
  // The findings layer also holds the count cells (a plain layer group, without bounds).
  const pins = L.latLngBounds([]);
  layer.eachLayer((part) => {
    const bounds = typeof part.getBounds === 'function' ? part.getBounds() : null;
    if (bounds?.isValid()) pins.extend(bounds);
  });
  if (!pins.isValid()) return;
  const all = Array.isArray(walkBounds) ? L.latLngBounds(walkBounds).extend(pins) : pins;
  map.fitBounds(all, { padding: [24, 24], maxZoom: 17, animate: false });
}

/** The widget snippet: select it on focus, copy it with one tap where the clipboard is there. */
function wireSnippet() {
  const snippet = document.getElementById('embed-snippet');
  const copy = document.getElementById('embed-copy');
  const status = document.getElementById('embed-copy-status');
  if (!snippet) return;
  snippet.addEventListener('focus', () => snippet.select());
  if (!copy || !navigator.clipboard) return;
  copy.hidden = false;
  copy.addEventListener('click', async () => {
    snippet.select();
    try {
      await navigator.clipboard.writeText(snippet.value);
      status.textContent = copy.dataset.copied;
    } catch (err) {
      console.warn('copy failed', err);
    }
  });
}

/** Printed, the concerns' updates show in full. */
function openUpdatesForPrint() {
  window.addEventListener('beforeprint', () => {
    document.querySelectorAll('.results-concern__updates').forEach((details) => { details.open = true; });
  });
}

async function init() {
  wireSnippet();
  openUpdatesForPrint();
  await showMap(readConfig());
  document.body.dataset.ready = '1';
}

init().catch((err) => {
  console.error(err);
  document.body.dataset.ready = 'error';
});
