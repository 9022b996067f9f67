// The review page (/review/): filter form → GET /api/review/clusters → map and list;
// choosing a cluster (map or list) opens the side panel (panel.js).

import { ApiError, NetworkError, getJSON, isAbort, setDefaultHeaders } from '../shared/api.js';
import { createMap, createDistrictLayer } from '../shared/map.js';
import { STRINGS, format } from '../shared/strings.js';
import { el } from '../shared/popup.js';
import { createClusterLayer, describe } from './clusters-map.js';
import { createPanel } from './panel.js';

const $ = (id) => document.getElementById(id);
const config = JSON.parse($('review-config')?.textContent || '{}');
const labels = Object.fromEntries((config.categories ?? []).map((c) => [c.slug, c.label]));
const icons = Object.fromEntries((config.categories ?? []).map((c) => [c.slug, c.icon]));
const FIELD_INPUTS = {
  eps: 'filter-eps', min: 'filter-min', walk: 'filter-walk', district: 'filter-district',
  from: 'filter-from', to: 'filter-to',
};
const SORTS = {
  count: (a, b) => b.count - a.count || b.participants - a.participants,
  participants: (a, b) => b.participants - a.participants || b.count - a.count,
};

const form = $('cluster-filters');
const state = { features: [], byKey: new Map(), request: null, nextOffset: null };

/** The filter as query parameters (empty ones left out). */
function filterParams() {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const name of ['walk', 'district', 'from', 'to', 'eps', 'min']) {
    const value = String(data.get(name) ?? '').trim();
    if (value) params.set(name, value);
  }
  for (const name of ['category', 'status']) {
    const values = data.getAll(name).map(String);
    if (values.length) params.set(name, values.join(','));
  }
  return params;
}

/** Put a query string (from the address bar) back into the form. */
function applyParams(params) {
  for (const [name, id] of Object.entries(FIELD_INPUTS)) {
    if (params.has(name)) $(id).value = params.get(name);
  }
  for (const name of ['category', 'status']) {
    const chosen = new Set((params.get(name) ?? '').split(',').filter(Boolean));
    form.querySelectorAll(`input[name="${name}"]`).forEach((box) => { box.checked = chosen.has(box.value); });
  }
  syncMirrors();
}

function syncMirrors() {
  form.querySelectorAll('[data-mirror]').forEach((input) => {
    if (input.type === 'range') input.value = $(input.dataset.mirror).value;
  });
  for (const name of ['category', 'status']) {
    const n = form.querySelectorAll(`input[name="${name}"]:checked`).length;
    $(`${name}-count`).textContent = n ? format(STRINGS.review.chosen, { n }) : STRINGS.review.allChosen;
  }
}

function showFilterErrors(err) {
  form.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
  const box = $('filter-error');
  if (!err) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  const fields = err instanceof ApiError ? err.fields : {};
  for (const name of Object.keys(fields)) $(FIELD_INPUTS[name])?.setAttribute('aria-invalid', 'true');
  const messages = Object.values(fields);
  if (err instanceof NetworkError) messages.push(STRINGS.errors.network);
  else if (!messages.length) messages.push(err.body?.message || STRINGS.errors.unexpected);
  box.textContent = messages.join(' ');
  box.hidden = false;
}

const labelOf = (props) => labels[props.category] || props.category_label || props.category;

/** A single finding comes with its key and category only: the panel asks for the rest. */
function propsOf(feature) {
  const props = { ...feature.properties, icon: feature.properties.icon ?? icons[feature.properties.category] };
  if (props.kind === 'finding') {
    const g = feature.geometry ?? {};
    const [lon, lat] = g.type === 'Point' ? g.coordinates : (g.coordinates?.[0] ?? []);
    Object.assign(props, { finding_ids: [props.key], count: 1, centroid: lat === undefined ? null : [lat, lon] });
  }
  return props;
}

/** Add one page of the answer (features, keys, the "more" button). */
function addPage(data) {
  const features = data.features ?? [];
  state.features.push(...features);
  for (const feature of features) state.byKey.set(feature.properties.key, propsOf(feature));
  state.nextOffset = data.next_offset ?? null;
  $('cluster-more').hidden = state.nextOffset === null;
}

function listItem(props) {
  const item = el('li', 'cluster-list__item');
  const button = el('button', 'cluster-list__button');
  button.type = 'button';
  button.dataset.key = props.key;
  button.setAttribute('aria-label', describe({ ...props, category_label: labelOf(props) }));
  const icon = el('span', 'cluster-list__icon', props.icon ?? '');
  icon.setAttribute('aria-hidden', 'true');
  const count = el('span', 'cluster-list__count', String(props.count));
  count.setAttribute('aria-hidden', 'true');
  const text = el('span', 'cluster-list__text');
  text.append(el('span', 'cluster-list__label', labelOf(props)),
    el('span', 'cluster-list__meta', [
      format(STRINGS.review.participants, { n: props.participants }),
      format(STRINGS.review.confirmations, { n: props.confirmations }),
      props.ortsteil,
    ].filter(Boolean).join(' · ')));
  button.append(count, icon, text);
  button.addEventListener('click', () => select(props.key));
  item.append(button);
  return item;
}

function renderList() {
  const sort = document.querySelector('input[name="sort"]:checked')?.value ?? 'count';
  const clusters = [...state.byKey.values()].filter((p) => p.kind === 'cluster');
  clusters.sort(SORTS[sort] ?? SORTS.count);
  $('cluster-list').replaceChildren(...clusters.map(listItem));
  markCurrent(panel.key);
}

function markCurrent(key) {
  $('cluster-list').querySelectorAll('.cluster-list__button').forEach((button) => {
    if (button.dataset.key === key) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  });
}

function select(key) {
  const props = state.byKey.get(key);
  if (!props) return;
  clusterLayer.select(key);
  markCurrent(key);
  $('cluster-list-section').hidden = true;
  panel.open({ ...props, category_label: labelOf(props) });
}

function closePanel() {
  const key = panel.key;
  panel.close();
  clusterLayer.select(null);
  markCurrent(null);
  $('cluster-list-section').hidden = false;
  $('cluster-list').querySelector(`[data-key="${CSS.escape(key ?? '')}"]`)?.focus();
}

async function load({ fit = false } = {}) {
  state.request?.abort();
  const controller = new AbortController();
  state.request = controller;
  const params = filterParams();
  $('cluster-summary').textContent = STRINGS.review.loading;
  try {
    const data = await getJSON(`${config.api.clusters}?${params}`, { signal: controller.signal });
    showFilterErrors(null);
    history.replaceState(null, '', `${window.location.pathname}?${params}`);
    state.features = [];
    state.byKey = new Map();
    addPage(data);
    if (panel.key) closePanel();
    clusterLayer.show(data);
    if (fit) clusterLayer.fit();
    $('cluster-summary').textContent = state.features.length
      ? format(STRINGS.review.summary, { clusters: data.clusters ?? 0, unclustered: data.unclustered ?? 0 })
      : STRINGS.review.empty;
    renderList();
    document.body.dataset.clusters = String(data.clusters ?? 0);
  } catch (err) {
    if (isAbort(err)) return;
    $('cluster-summary').textContent = '';
    showFilterErrors(err);
  }
}

if (config.csrf_token) setDefaultHeaders({ 'X-CSRFToken': config.csrf_token });
const { map } = createMap($('review-map'), config);
createDistrictLayer(config.api.districts, 'stadtbezirk').addTo(map);
// The grid settles after the map is made (and changes with the window): keep Leaflet's size right.
new ResizeObserver(() => map.invalidateSize()).observe($('review-map'));
const clusterLayer = createClusterLayer(map, select, labelOf, config.colours ?? {});
const panel = createPanel(config, { onClose: closePanel, queryString: () => filterParams().toString() });

let debounce = null;
form.addEventListener('input', (event) => {
  const mirror = event.target.dataset?.mirror;
  if (mirror) $(mirror).value = event.target.value;
  syncMirrors();
  clearTimeout(debounce);
  debounce = setTimeout(() => load(), 400);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(debounce);
  load({ fit: true });
});
/** The next page of the same answer: more clusters, then more single findings. */
async function loadMore() {
  if (state.nextOffset === null) return;
  const params = filterParams();
  params.set('offset', String(state.nextOffset));
  const button = $('cluster-more');
  button.disabled = true;
  try {
    const data = await getJSON(`${config.api.clusters}?${params}`);
    addPage(data);
    clusterLayer.add(data);
    renderList();
  } catch (err) {
    showFilterErrors(err);
  } finally {
    button.disabled = false;
  }
}

$('cluster-more').addEventListener('click', loadMore);
form.addEventListener('reset', () => setTimeout(() => {
  syncMirrors();
  load({ fit: true });
}));
document.querySelectorAll('input[name="sort"]').forEach((radio) => radio.addEventListener('change', renderList));

applyParams(new URLSearchParams(window.location.search));
load({ fit: true });
