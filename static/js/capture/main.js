// Entry point of both map pages: `/` (all findings in view) and a walk's map (its route,
// meeting point and all its pins, polled). Reads the server config, wires map, layers,
// the capture sheet and the popup buttons.

import { STRINGS } from '../shared/strings.js';
import { setDefaultHeaders } from '../shared/api.js';
import { createMap, createDistrictLayer, addLayerControl } from '../shared/map.js';
import { createFindingsLayer } from '../shared/findings.js';
import { loadCategories } from '../shared/categories.js';
import { showWalk, walkOutlineOptions } from '../shared/walkmap.js';
import { createSync } from './sync.js';
import { createCapture } from './capture.js';
import { createMine } from './mine.js';
import { isConfirmed, setConfirmed } from './votes.js';
import { afterPaint, nextTask } from '../shared/schedule.js';

const ANNOUNCE_MS = { info: 8000, error: 12000 };

/** JSON rendered by the template into <script type="application/json" id="…">. */
function readJson(id) {
  return JSON.parse(document.getElementById(id)?.textContent || 'null');
}

/** Server config rendered by the template (→ #mapapp-config). */
function readConfig() {
  const config = readJson('mapapp-config');
  if (!config?.api?.findings || !config.api.categories || !config.api.districts || !config.center) {
    throw new Error('mapapp-config is missing or incomplete');
  }
  return { ...config, tiles: config.tiles ?? {} };
}

/** Polite live region (#status), shown as a toast; clears itself after a while. */
function createAnnouncer(region) {
  let timer = null;
  const clear = () => {
    clearTimeout(timer);
    region.textContent = '';
  };
  const announce = (text, kind = 'info') => {
    clear();
    region.dataset.kind = kind;
    // Set the text in a new task so a repeated message is announced again.
    timer = setTimeout(() => {
      region.textContent = text;
      timer = setTimeout(clear, ANNOUNCE_MS[kind] ?? ANNOUNCE_MS.info);
    }, 50);
  };
  announce.clear = clear;
  return announce;
}

const announce = createAnnouncer(document.getElementById('status'));

/** What the popup buttons do; `capture` and `sync` are filled in once they exist. */
function popupActions(config, refs) {
  return {
    edit: (feature) => refs.capture.edit(feature),
    remove: (feature) => refs.sync.remove(feature).catch((err) => {
      console.error(err);
      announce(STRINGS.errors.unexpected, 'error');
    }),
    isConfirmed,
    async confirm(feature, on) {
      try {
        const count = await setConfirmed(config.api.findings, feature.id ?? feature.properties?.id, on);
        announce(on ? STRINGS.nearby.thanksShort : STRINGS.popup.unconfirmed);
        return count;
      } catch (err) {
        announce(err?.body?.message || STRINGS.errors.network, 'error');
        throw err;
      }
    },
  };
}

async function init() {
  const config = readConfig();
  const assets = readJson('mapapp-assets') ?? {};
  if (config.csrf_token) setDefaultHeaders({ 'X-CSRFToken': config.csrf_token });

  await afterPaint(); // the header and the buttons show before the map is built
  const { map, baseLayers } = createMap(document.getElementById('map'), config);

  const onDistrictError = () => announce(STRINGS.errors.districts, 'error');
  const outlines = config.walk ? walkOutlineOptions(map) : { stadtbezirk: { labels: true }, ortsteil: {} };
  const districts = createDistrictLayer(config.api.districts, 'stadtbezirk', { ...outlines.stadtbezirk, onError: onDistrictError });
  const quarters = createDistrictLayer(config.api.districts, 'ortsteil', { ...outlines.ortsteil, onError: onDistrictError });
  const overlays = { [STRINGS.map.districts]: districts, [STRINGS.map.quarters]: quarters };
  if (config.walk) {
    const walk = showWalk(map, config.walk);
    if (walk.route) overlays[STRINGS.walk.route] = walk.route;
    districts.addTo(map);
    quarters.addTo(map);
    Promise.all([districts.load(), quarters.load()]).then(() => walk.route?.bringToFront(), () => {});
  } else {
    districts.addTo(map);
  }

  const refs = {};
  const findings = createFindingsLayer(map, {
    url: config.api.findings, viewportUrl: config.api.viewport ?? null, walkId: config.walk_id ?? null, announce, actions: popupActions(config, refs),
  });
  findings.layer.addTo(map);
  overlays[STRINGS.map.findings] = findings.layer;
  addLayerControl(map, baseLayers, overlays);
  findings.reload();
  await nextTask();

  refs.sync = createSync({
    findings, announce, findingsUrl: config.api.findings, onRejected: (draft) => refs.capture.reopen(draft),
  });
  refs.capture = createCapture({ map, config, findings, sync: refs.sync, announce, assets });
  await nextTask();
  createMine({ map, config, findings, actions: popupActions(config, refs) });

  const categories = loadCategories(config.api.categories, config.walk_id ?? null)
    .then((list) => refs.capture.setCategories(list))
    .catch((err) => {
      announce(STRINGS.errors.categories, 'error');
      const error = document.getElementById('category-error');
      if (error) {
        error.textContent = STRINGS.errors.categories;
        error.hidden = false;
      }
      throw err;
    });
  // What the outbox still holds from before a reload shows as waiting pins (after the first
  // load, so that a queued edit or deletion finds its pin).
  const waiting = findings.firstLoad.then(() => refs.sync.restore()).catch((err) => console.warn('outbox: cannot show the waiting findings', err));
  await Promise.allSettled([categories, findings.firstLoad, waiting]);
  document.body.dataset.ready = '1';
}

init().catch((err) => {
  console.error(err);
  announce(STRINGS.errors.noMap, 'error');
  document.body.dataset.ready = 'error';
});
