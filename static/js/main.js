// Entry point: reads the server config, wires map, layers and the capture sheet.

import { STRINGS } from './strings.js';
import { setDefaultHeaders } from './api.js';
import { createMap, createDistrictLayer, addLayerControl, createFindingsLayer } from './map.js';
import { createCapture } from './capture.js';

const ANNOUNCE_MS = { info: 8000, error: 12000 };

function readConfig() {
  const defaults = {
    api: { findings: '/api/findings', categories: '/api/categories', districts: '/api/districts' },
    tiles: { url: '', attribution: '', max_zoom: 19 },
    center: [51.43, 6.75],
    zoom: 12,
    walk_id: null,
  };
  let config = {};
  try {
    config = JSON.parse(document.getElementById('mapapp-config')?.textContent || '{}') ?? {};
  } catch (err) {
    console.error('mapapp-config is not valid JSON', err);
  }
  return {
    ...defaults,
    ...config,
    api: { ...defaults.api, ...config.api },
    tiles: { ...defaults.tiles, ...config.tiles },
  };
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

async function init() {
  const announce = createAnnouncer(document.getElementById('status'));
  if (!window.L) {
    announce(STRINGS.errors.noMap, 'error');
    return;
  }
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
  document.body.dataset.ready = 'error';
});
