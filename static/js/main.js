// Entry point: reads the server config, wires map, layers and the capture sheet.

import { STRINGS } from './strings.js';
import { setDefaultHeaders } from './api.js';
import { createMap, createDistrictLayer, addLayerControl, createFindingsLayer } from './map.js';
import { createCapture } from './capture.js';

const ANNOUNCE_MS = { info: 8000, error: 12000 };

/** Server config rendered by the template (map.html → #mapapp-config). */
function readConfig() {
  const config = JSON.parse(document.getElementById('mapapp-config')?.textContent || 'null');
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

async function init() {
  if (!window.L) throw new Error('Leaflet (window.L) is not loaded');
  const config = readConfig();
  if (config.csrf_token) setDefaultHeaders({ 'X-CSRFToken': config.csrf_token });

  const { map, baseLayers } = createMap(document.getElementById('map'), config);

  const onDistrictError = () => announce(STRINGS.errors.districts, 'error');
  const districts = createDistrictLayer(config.api.districts, 'stadtbezirk', { labels: true, onError: onDistrictError });
  const quarters = createDistrictLayer(config.api.districts, 'ortsteil', { onError: onDistrictError });
  districts.addTo(map);

  const findings = createFindingsLayer(map, { url: config.api.findings, announce });
  findings.layer.addTo(map);

  addLayerControl(map, baseLayers, {
    [STRINGS.map.districts]: districts,
    [STRINGS.map.quarters]: quarters,
    [STRINGS.map.findings]: findings.layer,
  });

  const capture = createCapture({ map, config, findings, announce });

  findings.reload();
  await Promise.allSettled([capture.loadCategories(), findings.firstLoad]);
  document.body.dataset.ready = '1';
}

init().catch((err) => {
  console.error(err);
  announce(STRINGS.errors.noMap, 'error');
  document.body.dataset.ready = 'error';
});
