// "Meine Funde": the participant's own findings from this phone, in a panel over the map. The
// sent ones come from /api/me/findings (the cookie's holder; on a walk's map that walk's), the
// waiting ones from the outbox, also after a reload. Each shows its category, text, Ortsteil, photos
// and what became of it (the status of the concern a team grouped it into), with "Auf der Karte
// zeigen", "Bearbeiten" and "Löschen" (the popup's own buttons, see popup.js), a waiting finding
// too: its change is queued behind its creation (sync.js). The entries are made in mine-item.js.

import { STRINGS } from '../shared/strings.js';
import { getJSON } from '../shared/api.js';
import { featureId } from '../shared/popup.js';
import { outbox, queuedFindings } from './outbox.js';
import { previewFeature } from './preview.js';
import { mineItem } from './mine-item.js';

const REFRESH_DEBOUNCE_MS = 300;

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
  // urls: object URLs of waiting photos shown in the list
  const m = { map, config, findings, actions, ui, generation: 0, urls: [], timer: null };
  m.close = (options) => close(m, options);
  ui.button.addEventListener('click', () => (isOpen(m) ? close(m) : open(m)));
  ui.close.addEventListener('click', () => close(m));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen(m) && !event.defaultPrevented) close(m);
  });
  outbox.addEventListener('change', () => scheduleRefresh(m));
  return { open: () => open(m), close: m.close, refresh: () => refresh(m) };
}

const isOpen = ({ ui }) => !ui.panel.hidden;

function setOpen({ ui }, open) {
  ui.panel.hidden = !open;
  ui.button.setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('mine-open', open);
}

function open(m) {
  m.map.closePopup();
  m.ui.list.replaceChildren(); // no stale entries while loading
  setOpen(m, true);
  m.ui.title.focus();
  refresh(m);
}

function close(m, { focusButton = true } = {}) {
  setOpen(m, false);
  if (focusButton) m.ui.button.focus();
}

/** The sent findings; null when they cannot be loaded (offline without a stored copy). */
async function sentFindings({ config }) {
  try {
    const params = config.walk_id ? { walk: config.walk_id } : {};
    return (await getJSON(config.api.mine, { params })).features ?? [];
  } catch (err) {
    console.warn('own findings could not be loaded', err);
    return null;
  }
}

/** A waiting finding as shown on the map, else as the outbox holds it; null when it is being deleted. */
function waitingFeature(m, queued, sent) {
  if (queued.deleting) return null;
  const shown = m.findings.get(queued.id);
  if (shown?.properties?.pending) return shown;
  const base = queued.create ? null : (shown ?? sent);
  if (!queued.create && !base) return null;
  const changes = Object.assign({ id: queued.id }, queued.create, ...queued.edits);
  const photoUrls = queued.photos.map((photo) => URL.createObjectURL(photo.blob));
  m.urls.push(...photoUrls);
  return previewFeature(base, changes, photoUrls);
}

async function refresh(m) {
  const { ui } = m;
  const current = ++m.generation;
  ui.note.textContent = STRINGS.mine.loading;
  const [sent, queued] = await Promise.all([sentFindings(m), queuedFindings().catch(() => [])]);
  if (current !== m.generation || !isOpen(m)) return;
  for (const url of m.urls) URL.revokeObjectURL(url);
  m.urls = [];
  const sentById = new Map((sent ?? []).map((feature) => [featureId(feature), feature]));
  const waitingIds = new Set(queued.map((q) => String(q.id)));
  const waiting = queued.map((q) => waitingFeature(m, q, sentById.get(String(q.id)))).filter(Boolean);
  const done = (sent ?? []).filter((feature) => !waitingIds.has(featureId(feature)));
  ui.list.replaceChildren(...waiting.map((f) => mineItem(m, f, true)), ...done.map((f) => mineItem(m, f, false)));
  if (sent === null) ui.note.textContent = STRINGS.mine.failed;
  else ui.note.textContent = waiting.length + done.length ? '' : STRINGS.mine.empty;
}

/** Refresh soon; not while a "wirklich löschen?" is being answered (a new list would drop it). */
function scheduleRefresh(m) {
  clearTimeout(m.timer);
  if (!isOpen(m)) return;
  m.timer = setTimeout(() => {
    const asking = [...m.ui.list.querySelectorAll('.finding-popup__confirm:not([hidden])')]
      .some((question) => question.contains(document.activeElement));
    if (asking) scheduleRefresh(m);
    else refresh(m);
  }, REFRESH_DEBOUNCE_MS);
}
