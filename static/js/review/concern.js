// One concern (templates/review/concern.html): its place on the map (drag the marker, or focus it
// and use the arrow keys, to move it), the status form, title/summary edits, the public message
// and moving findings.
// Every change is sent with the version this page last saw. A 412 means someone else changed the
// concern meanwhile: we say so and keep our state, so nothing of theirs is overwritten.

import { ApiError, NetworkError, request, setDefaultHeaders } from '../shared/api.js';
import { createMap } from '../shared/map.js';
import { STRINGS, format } from '../shared/strings.js';
import { L } from '../shared/leaflet.js';
import { renderHistory } from './concern-history.js';
import { formatDateTime } from '../shared/times.js';

const config = JSON.parse(document.getElementById('review-concern-config')?.textContent || 'null');
const T = STRINGS.concern;
const STATUS = STRINGS.review.status;
const $ = (id) => document.getElementById(id);
const KEY_STEP_PX = 10;
const KEY_SAVE_DELAY_MS = 800;
const FINDING_STYLE = { radius: 7, color: '#00468a', weight: 2, fillColor: '#fff', fillOpacity: 0.9 };
const LINE_STYLE = { color: '#00468a', weight: 5, opacity: 0.8 };

let concern = config?.concern;
let stale = false;

// ---- messages ---------------------------------------------------------------------------------

function say(text) {
  $('concern-error').hidden = true;
  $('concern-message').textContent = text;
}

function complain(text) {
  $('concern-message').textContent = '';
  $('concern-error').textContent = text;
  $('concern-error').hidden = false;
}

function explain(err) {
  if (err instanceof ApiError && err.status === 412) {
    stale = true;
    document.body.dataset.concernStale = '1';
    return T.stale;
  }
  if (err instanceof ApiError && err.status === 422) {
    return Object.values(err.fields)[0] || err.message || STRINGS.errors.validation;
  }
  if (err instanceof ApiError && err.status === 403 && err.body?.message) return err.body.message;
  if (err instanceof ApiError) return format(STRINGS.errors.server, { status: err.status });
  if (err instanceof NetworkError) return STRINGS.errors.network;
  return STRINGS.errors.unexpected;
}

/** Send a change based on the version we saw; adopt the answer as the new state. */
async function change(url, method, body) {
  if (stale) throw new ApiError(412, { error: 'precondition_failed' });
  const detail = await request(url, { method, body: { ...body, version: concern.version } });
  render(detail);
  return detail;
}

// ---- rendering --------------------------------------------------------------------------------

function renderStatus(detail) {
  const badge = $('concern-status');
  badge.textContent = STATUS[detail.status] ?? detail.status;
  badge.className = `concern-status concern-status--${detail.status}`;
  const select = $('status-select');
  select.replaceChildren(...detail.next_statuses.map((key) => new Option(STATUS[key] ?? key, key)));
  $('status-form').hidden = detail.next_statuses.length === 0;
  $('status-final').hidden = detail.next_statuses.length > 0;
  $('duplicate-field').hidden = select.value !== 'duplicate';
  const duplicate = detail.duplicate_of;
  $('concern-duplicate').hidden = !duplicate;
  if (duplicate) {
    $('concern-duplicate-link').textContent = duplicate.title;
    $('concern-duplicate-link').href = `${location.pathname.replace(/[^/]+$/, '')}${duplicate.id}`;
  }
}

function render(detail) {
  concern = detail;
  document.body.dataset.concernVersion = String(detail.version);
  $('concern-title').textContent = detail.title;
  $('concern-summary').textContent = detail.summary ?? '';
  $('concern-findings-count').textContent = String(detail.findings_count);
  $('concern-participants').textContent = String(detail.participants);
  renderStatus(detail);
  $('public-message-at').textContent = detail.public_message_at
    ? format(T.publicMessageAt, { time: formatDateTime(new Date(detail.public_message_at)) }) : '';
  renderHistory($('concern-history'), detail.history, config.participant_actions);
}

// ---- map --------------------------------------------------------------------------------------

function tooltipFor(feature) {
  const element = document.createElement('span');
  const props = feature.properties ?? {};
  element.textContent = [props.category_label, props.description].filter(Boolean).join(': ');
  return element;
}

function createConcernMap() {
  const { map } = createMap($('concern-map'), config);
  const findingLayers = new Map();
  const findings = L.geoJSON(concern.findings, {
    style: () => LINE_STYLE,
    pointToLayer: (_feature, latlng) => L.circleMarker(latlng, FINDING_STYLE),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(tooltipFor(feature));
      findingLayers.set(String(feature.id), layer);
    },
  }).addTo(map);

  const marker = L.marker([concern.location.lat, concern.location.lon], {
    draggable: true,
    keyboard: true,
    title: T.marker,
    alt: T.marker,
    icon: L.divIcon({ className: 'concern-marker', iconSize: [30, 30], iconAnchor: [15, 15] }),
  }).addTo(map);
  marker.getElement()?.setAttribute('aria-label', T.marker);

  const bounds = findings.getBounds().extend(marker.getLatLng());
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 18 });

  enableMoving(map, marker);
  return { findingLayers };
}

/** Save the marker's place; put it back where it was when the server refuses. */
function enableMoving(map, marker) {
  let saved = marker.getLatLng();
  let timer = null;

  const save = async () => {
    const { lat, lng } = marker.getLatLng();
    say(T.saving);
    try {
      await change(config.api.concern, 'PATCH', { lat: Number(lat.toFixed(7)), lon: Number(lng.toFixed(7)) });
      saved = marker.getLatLng();
      say(T.locationSaved);
    } catch (err) {
      marker.setLatLng(saved);
      complain(explain(err));
    }
  };

  marker.on('dragend', save);
  marker.getElement()?.addEventListener('keydown', (event) => {
    const step = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] }[event.key];
    if (!step) return;
    event.preventDefault();
    const point = map.latLngToContainerPoint(marker.getLatLng()).add(L.point(step).multiplyBy(KEY_STEP_PX));
    marker.setLatLng(map.containerPointToLatLng(point));
    clearTimeout(timer);
    timer = setTimeout(save, KEY_SAVE_DELAY_MS);
  });
}

// ---- forms ------------------------------------------------------------------------------------

function setUpStatusForm() {
  const form = $('status-form');
  const select = $('status-select');
  select.addEventListener('change', () => {
    $('duplicate-field').hidden = select.value !== 'duplicate';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { status: select.value, note: $('status-note').value };
    if (select.value === 'duplicate') body.duplicate_of = $('duplicate-select').value || null;
    say(T.saving);
    try {
      await change(config.api.status, 'POST', body);
      $('status-note').value = '';
      say(T.statusSaved);
    } catch (err) {
      complain(explain(err));
    }
  });
}

function setUpEditForm() {
  $('concern-edit-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    say(T.saving);
    try {
      await change(config.api.concern, 'PATCH', { title: $('edit-title').value, summary: $('edit-summary').value });
      say(T.edited);
    } catch (err) {
      complain(explain(err));
    }
  });
}

/** The one text of the concern written for the public; an empty field clears it. */
function setUpPublicMessageForm() {
  $('public-message-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    say(T.saving);
    try {
      await change(config.api.concern, 'PATCH', { public_message: $('public-message').value });
      say(T.publicMessageSaved);
    } catch (err) {
      complain(explain(err));
    }
  });
}

function setUpMoveForms(findingLayers) {
  for (const form of document.querySelectorAll('.concern-finding__move')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const findingId = form.dataset.findingId;
      const target = form.elements.concern_id.value || null;
      say(T.saving);
      try {
        const result = await request(config.api.move.replace('{id}', findingId), {
          method: 'POST', body: { concern_id: target },
        });
        form.closest('.concern-finding')?.remove();
        findingLayers.get(findingId)?.remove();
        // Our move raised the version by one; anything more means someone else changed it too.
        const version = result.versions?.[concern.id];
        if (version !== undefined && !stale) {
          if (version === concern.version + 1) render(await request(config.api.concern));
          else explain(new ApiError(412, null));
        }
        if (!document.querySelector('.concern-finding')) {
          const empty = document.createElement('li');
          empty.textContent = T.noFindings;
          $('concern-findings').append(empty);
        }
        if (stale) complain(T.stale);
        else say(target ? T.moved : T.removed);
      } catch (err) {
        complain(explain(err));
      }
    });
  }
}

function main() {
  if (!config || !concern) return;
  setDefaultHeaders({ 'X-CSRFToken': config.csrf_token });
  document.body.dataset.concernVersion = String(concern.version);
  setUpStatusForm();
  setUpEditForm();
  setUpPublicMessageForm();
  let findingLayers = new Map();
  try {
    ({ findingLayers } = createConcernMap());
  } catch (err) {
    complain(STRINGS.errors.noMap);
  }
  setUpMoveForms(findingLayers);
}

main();
