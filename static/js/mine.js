// "Meine Funde": the participant's own findings from this phone, in a panel over the map. The
// sent ones come from /api/me/findings (the cookie's holder; on a walk's map that walk's), the
// waiting ones from the outbox, also after a reload. Each shows its category, text, Ortsteil, photos
// and what became of it (the status of the concern a team grouped it into), with "Auf der Karte
// zeigen", "Bearbeiten" and "Löschen" (the popup's own buttons, see popup.js), a waiting finding
// too: its change is queued behind its creation (sync.js).

import { STRINGS, format } from './strings.js';
import { getJSON } from './api.js';
import { outbox, queuedFindings } from './outbox.js';
import { el, featureId, featureLabel, ownActions } from './popup.js';
import { previewFeature } from './sync.js';

const L = window.L;
const SHOW_ZOOM = 17;
const REFRESH_DEBOUNCE_MS = 300;

const dateFormat = new Intl.DateTimeFormat(STRINGS.locale, {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  timeZone: STRINGS.timeZone, timeZoneName: 'short',
});

/** What became of a finding, in words: waiting, sent but not grouped yet, or its concern's status. */
function statusOf(feature, waiting) {
  const p = feature.properties ?? {};
  if (waiting) return { state: 'waiting', text: STRINGS.mine.waiting };
  if (!p.concern_status) return { state: 'new', text: STRINGS.mine.notGrouped };
  return { state: p.concern_status, text: format(STRINGS.mine.status, { status: p.concern_status_label || p.concern_status }) };
}

function photosOf(feature) {
  const photos = (feature.properties?.photos ?? []).filter((photo) => photo?.thumb_url || photo?.url);
  if (!photos.length) return null;
  const list = el('ul', 'mine-item__photos');
  photos.forEach((photo, index) => {
    const img = el('img');
    img.src = photo.thumb_url || photo.url;
    img.alt = format(STRINGS.photos.alt, { n: index + 1 });
    img.loading = 'lazy';
    const item = el('li');
    item.append(img);
    list.append(item);
  });
  return list;
}

/** The participant's own words, in their own direction (a German text on an Arabic page). */
function descriptionOf(feature) {
  const text = (feature.properties?.description ?? '').trim();
  if (!text) return null;
  const description = el('p', 'mine-item__description', text);
  description.dir = 'auto';
  return description;
}

/** "Ortsteil · when", each part isolated so that a German place name keeps its order in Arabic. */
function placeOf(feature) {
  const p = feature.properties ?? {};
  const parts = [];
  if (p.ortsteil) parts.push(el('bdi', null, p.ortsteil));
  const created = p.created_at ? new Date(p.created_at) : null;
  if (created && !Number.isNaN(created.getTime())) {
    const time = el('time', null, dateFormat.format(created));
    time.dateTime = created.toISOString();
    parts.push(time);
  }
  if (!parts.length) return null;
  const line = el('p', 'mine-item__place');
  parts.forEach((part, index) => line.append(...(index ? [' · ', part] : [part])));
  return line;
}

/**
 * @param {{map: L.Map, config: object, findings: object, actions: {edit: Function, remove: Function}}} deps
 *   actions: what the popup's own buttons do (main.js).
 */
export function createMine({ map, config, findings, actions }) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    button: $('mine-button'), panel: $('mine-panel'), title: $('mine-title'), close: $('mine-close'),
    note: $('mine-note'), list: $('mine-list'),
  };
  if (!ui.button || !ui.panel || !config.api?.mine) return null;
  let generation = 0;
  let urls = []; // object URLs of waiting photos shown in the list
  let timer = null;

  const isOpen = () => !ui.panel.hidden;

  function setOpen(open) {
    ui.panel.hidden = !open;
    ui.button.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('mine-open', open);
  }

  function open() {
    map.closePopup();
    ui.list.replaceChildren(); // no stale entries while loading
    setOpen(true);
    ui.title.focus();
    refresh();
  }

  function close({ focusButton = true } = {}) {
    setOpen(false);
    if (focusButton) ui.button.focus();
  }

  /** The sent findings; null when they cannot be loaded (offline without a stored copy). */
  async function sentFindings() {
    try {
      const params = config.walk_id ? { walk: config.walk_id } : {};
      return (await getJSON(config.api.mine, { params })).features ?? [];
    } catch (err) {
      console.warn('own findings could not be loaded', err);
      return null;
    }
  }

  /** A waiting finding as shown on the map, else as the outbox holds it; null when it is being deleted. */
  function waitingFeature(queued, sent) {
    if (queued.deleting) return null;
    const shown = findings.get(queued.id);
    if (shown?.properties?.pending) return shown;
    const base = queued.create ? null : (shown ?? sent);
    if (!queued.create && !base) return null;
    const changes = Object.assign({ id: queued.id }, queued.create, ...queued.edits);
    const photoUrls = queued.photos.map((photo) => URL.createObjectURL(photo.blob));
    urls.push(...photoUrls);
    return previewFeature(base, changes, photoUrls);
  }

  async function refresh() {
    const current = ++generation;
    ui.note.textContent = STRINGS.mine.loading;
    const [sent, queued] = await Promise.all([sentFindings(), queuedFindings().catch(() => [])]);
    if (current !== generation || !isOpen()) return;
    for (const url of urls) URL.revokeObjectURL(url);
    urls = [];
    const sentById = new Map((sent ?? []).map((feature) => [featureId(feature), feature]));
    const waitingIds = new Set(queued.map((q) => String(q.id)));
    const waiting = queued.map((q) => waitingFeature(q, sentById.get(String(q.id)))).filter(Boolean);
    const done = (sent ?? []).filter((feature) => !waitingIds.has(featureId(feature)));
    ui.list.replaceChildren(...waiting.map((f) => item(f, true)), ...done.map((f) => item(f, false)));
    if (sent === null) ui.note.textContent = STRINGS.mine.failed;
    else ui.note.textContent = waiting.length + done.length ? '' : STRINGS.mine.empty;
  }

  /** Refresh soon; not while a "wirklich löschen?" is being answered (a new list would drop it). */
  function scheduleRefresh() {
    clearTimeout(timer);
    if (!isOpen()) return;
    timer = setTimeout(() => {
      const asking = [...ui.list.querySelectorAll('.finding-popup__confirm:not([hidden])')]
        .some((question) => question.contains(document.activeElement));
      if (asking) scheduleRefresh();
      else refresh();
    }, REFRESH_DEBOUNCE_MS);
  }

  /** Close the panel, bring the finding into view and open its popup. */
  function show(feature) {
    close({ focusButton: false });
    const id = featureId(feature);
    const shape = L.geoJSON(feature);
    const bounds = shape.getBounds();
    if (feature.geometry?.type === 'Point') {
      if (!map.getBounds().contains(bounds.getCenter())) {
        map.setView(bounds.getCenter(), Math.max(map.getZoom(), SHOW_ZOOM), { animate: false });
      }
    } else {
      map.fitBounds(bounds, { animate: false, padding: [24, 24] });
    }
    map.once('popupopen', ({ popup }) => {
      const content = popup.getElement()?.querySelector('.finding-popup');
      if (!content) return;
      content.tabIndex = -1;
      content.focus({ preventScroll: true });
    });
    if (!findings.open(id)) findings.addFeature(feature, { open: true });
  }

  function item(feature, waiting) {
    const id = featureId(feature);
    const p = feature.properties ?? {};
    const status = statusOf(feature, waiting);
    const li = el('li', 'mine-item');
    li.dataset.findingId = id;
    li.dataset.state = status.state;
    const titleId = `mine-item-${id}`;
    const title = el('h3', 'mine-item__title');
    title.id = titleId;
    if (p.icon) {
      const icon = el('span', 'mine-item__icon', p.icon);
      icon.setAttribute('aria-hidden', 'true');
      title.append(icon);
    }
    title.append(el('span', null, featureLabel(feature)));
    li.append(title, el('p', 'mine-item__status', status.text));
    const description = descriptionOf(feature);
    if (description) li.append(description);
    const place = placeOf(feature);
    if (place) li.append(place);
    const photos = photosOf(feature);
    if (photos) li.append(photos);

    const showButton = el('button', 'btn btn--secondary mine-item__show', STRINGS.mine.show);
    showButton.type = 'button';
    showButton.addEventListener('click', () => show(feature));
    const own = ownActions(feature, {
      edit: (target) => {
        close({ focusButton: false });
        actions.edit(target);
      },
      remove: (target) => {
        ui.title.focus(); // the item leaves the list
        return actions.remove(target);
      },
    });
    const bar = el('div', 'mine-item__actions');
    bar.append(showButton, own);
    for (const button of bar.querySelectorAll('button')) button.setAttribute('aria-describedby', titleId);
    li.append(bar);
    return li;
  }

  ui.button.addEventListener('click', () => (isOpen() ? close() : open()));
  ui.close.addEventListener('click', () => close());
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen() && !event.defaultPrevented) close();
  });
  outbox.addEventListener('change', scheduleRefresh);

  return { open, close, refresh };
}
