// One entry of "Meine Funde" (mine.js): category, status, text, Ortsteil and time, photos, and
// the buttons "Auf der Karte zeigen", "Bearbeiten" and "Löschen". `m` is the panel's state.

import { STRINGS, format } from '../shared/strings.js';
import { el, featureId, featureLabel, ownActions } from '../shared/popup.js';
import { L } from '../shared/leaflet.js';
import { formatWithZone } from '../shared/times.js';

const SHOW_ZOOM = 17;

const WHEN = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };

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
    const time = el('time', null, formatWithZone(WHEN, created));
    time.dateTime = created.toISOString();
    parts.push(time);
  }
  if (!parts.length) return null;
  const line = el('p', 'mine-item__place');
  parts.forEach((part, index) => line.append(...(index ? [' · ', part] : [part])));
  return line;
}

/** Close the panel, bring the finding into view and open its popup. */
function showOnMap(m, feature) {
  const { map, findings } = m;
  m.close({ focusButton: false });
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

/** The entry's heading: the category's icon and label. */
function titleOf(feature, titleId) {
  const p = feature.properties ?? {};
  const title = el('h3', 'mine-item__title');
  title.id = titleId;
  if (p.icon) {
    const icon = el('span', 'mine-item__icon', p.icon);
    icon.setAttribute('aria-hidden', 'true');
    title.append(icon);
  }
  title.append(el('span', null, featureLabel(feature)));
  return title;
}

/** "Auf der Karte zeigen" and the popup's own buttons, each described by the entry's heading. */
function actionsOf(m, feature, titleId) {
  const showButton = el('button', 'btn btn--secondary mine-item__show', STRINGS.mine.show);
  showButton.type = 'button';
  showButton.addEventListener('click', () => showOnMap(m, feature));
  const own = ownActions(feature, {
    edit: (target) => {
      m.close({ focusButton: false });
      m.actions.edit(target);
    },
    remove: (target) => {
      m.ui.title.focus(); // the item leaves the list
      return m.actions.remove(target);
    },
  });
  const bar = el('div', 'mine-item__actions');
  bar.append(showButton, own);
  for (const button of bar.querySelectorAll('button')) button.setAttribute('aria-describedby', titleId);
  return bar;
}

/** The list entry of a finding; `waiting`: still in the outbox. */
export function mineItem(m, feature, waiting) {
  const id = featureId(feature);
  const status = statusOf(feature, waiting);
  const li = el('li', 'mine-item');
  li.dataset.findingId = id;
  li.dataset.state = status.state;
  const titleId = `mine-item-${id}`;
  li.append(titleOf(feature, titleId), el('p', 'mine-item__status', status.text));
  for (const part of [descriptionOf(feature), placeOf(feature), photosOf(feature)]) if (part) li.append(part);
  li.append(actionsOf(m, feature, titleId));
  return li;
}
