// Builds the popup content of a finding from its GeoJSON feature.
// Only DOM nodes and textContent: user text can never become markup.
// Own findings get "Bearbeiten"/"Löschen", others a "+1" button (actions come from main.js).

import { STRINGS, format, categoryLabel } from './strings.js';
import { describeAnswers, labelOf } from './categories.js';
import { formatDateTime } from './times.js';

/** Small helper: element with optional class and text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** The id of a feature as a string ('' when missing). */
export function featureId(feature) {
  return String(feature?.id ?? feature?.properties?.id ?? '');
}

/** Category label of a feature: from the loaded categories (in the page's language), else the API's, else the slug. */
export function featureLabel(feature) {
  const p = feature?.properties ?? {};
  return labelOf(p.category) || p.category_label || categoryLabel({ slug: p.category }) || STRINGS.popup.unknownCategory;
}

function formatDate(value) {
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? { text: formatDateTime(date), iso: date.toISOString() } : null;
}

function button(className, text, onClick) {
  const node = el('button', `btn ${className}`, text);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

function titleOf(feature) {
  const p = feature.properties ?? {};
  const title = el('h2', 'finding-popup__title');
  if (p.icon) {
    const icon = el('span', 'finding-popup__icon', p.icon);
    icon.setAttribute('aria-hidden', 'true');
    title.append(icon);
  }
  title.append(el('span', 'finding-popup__label', featureLabel(feature)));
  return title;
}

/** "Meins" / "Noch nicht gesendet": in words, not colour alone. */
function badgesOf(p) {
  const badges = el('p', 'finding-popup__badges');
  if (p.mine) badges.append(el('span', 'badge badge--mine', STRINGS.popup.mine));
  if (p.pending) badges.append(el('span', 'badge badge--pending', STRINGS.popup.pending));
  return badges.childElementCount ? badges : null;
}

function photosOf(p) {
  const photos = (p.photos ?? []).filter((photo) => photo?.thumb_url || photo?.url);
  if (!photos.length) return null;
  const list = el('ul', 'finding-popup__photos');
  photos.forEach((photo, index) => {
    const img = el('img');
    img.src = photo.thumb_url || photo.url;
    img.alt = format(STRINGS.popup.photoAlt, { n: index + 1, count: photos.length });
    img.loading = 'lazy';
    const item = el('li');
    if (photo.url && !p.pending) {
      const link = el('a');
      link.href = photo.url;
      link.target = '_blank';
      link.rel = 'noopener';
      link.append(img);
      item.append(link);
    } else {
      item.append(img);
    }
    list.append(item);
  });
  return list;
}

function detailsOf(p) {
  const details = el('dl', 'finding-popup__details');
  const addDetail = (label, value) => {
    if (value === undefined || value === null || value === '') return;
    details.append(el('dt', null, label), el('dd', null, value));
  };
  for (const { label, value } of describeAnswers(p.category, p.attributes)) addDetail(label, value);
  if (p.urgency) addDetail(STRINGS.popup.urgency, format(STRINGS.popup.urgencyValue, { n: p.urgency }));
  addDetail(STRINGS.popup.publicMessage, p.public_message);
  addDetail(STRINGS.popup.ortsteil, p.ortsteil);
  addDetail(STRINGS.popup.stadtbezirk, p.stadtbezirk);
  const created = formatDate(p.created_at);
  if (created) {
    const time = el('time', null, created.text);
    time.dateTime = created.iso;
    const dd = el('dd');
    dd.append(time);
    details.append(el('dt', null, STRINGS.popup.created), dd);
  }
  return details.childElementCount ? details : null;
}

/**
 * Own finding: edit (when `actions.edit` is given), and delete after an inline "really?" (no
 * window.confirm). The two states are shown/hidden, never swapped out: Leaflet treats a click
 * whose target left the DOM as a click on the map, which would close the popup.
 */
export function ownActions(feature, actions) {
  const bar = el('div', 'finding-popup__actions');
  const ask = el('div', 'finding-popup__actions finding-popup__confirm');
  const question = el('p', 'finding-popup__question', STRINGS.popup.deleteQuestion);
  question.tabIndex = -1;
  const remove = button('btn--danger', STRINGS.popup.delete, () => toggle(true));
  if (actions.edit) bar.append(button('btn--secondary', STRINGS.popup.edit, () => actions.edit(feature)));
  bar.append(remove);
  ask.append(
    question,
    button('btn--secondary', STRINGS.popup.deleteCancel, () => toggle(false)),
    button('btn--danger', STRINGS.popup.deleteConfirm, () => actions.remove(feature)),
  );
  function toggle(asking) {
    bar.hidden = asking;
    ask.hidden = !asking;
    (asking ? question : remove).focus();
  }
  ask.hidden = true;
  const wrapper = el('div');
  wrapper.append(bar, ask);
  return wrapper;
}

/** Someone else's finding: "+1 Ich habe das auch gesehen", once per participant (toggles). */
function confirmAction(feature, actions) {
  const p = feature.properties ?? {};
  const bar = el('div', 'finding-popup__actions finding-popup__actions--one');
  let count = Number(p.confirmations) || 0;
  const vote = button('btn--secondary btn--vote', '', async () => {
    const on = vote.getAttribute('aria-pressed') !== 'true';
    vote.disabled = true;
    try {
      count = await actions.confirm(feature, on);
      paint(on);
    } catch {
      paint(!on);
    } finally {
      vote.disabled = false;
    }
  });
  function paint(on) {
    vote.setAttribute('aria-pressed', String(on));
    vote.textContent = format(on ? STRINGS.popup.confirmed : STRINGS.popup.confirm, { n: count });
  }
  paint(Boolean(actions.isConfirmed?.(feature)));
  bar.append(vote);
  return bar;
}

/**
 * Popup element for a finding.
 * @param {object} feature GeoJSON Feature from /api/findings
 * @param {{edit?: Function, remove?: Function, confirm?: Function, isConfirmed?: Function}} actions
 * @returns {HTMLElement} `<article class="finding-popup" data-finding-id="…">`
 */
export function buildPopup(feature, actions = {}) {
  const p = feature?.properties ?? {};
  const root = el('article', 'finding-popup');
  root.dataset.findingId = featureId(feature);
  if (p.category) root.dataset.category = p.category;
  if (p.mine) root.dataset.mine = '1';
  if (p.pending) root.dataset.pending = '1';

  root.append(titleOf(feature));
  const badges = badgesOf(p);
  if (badges) root.append(badges);

  const description = (p.description ?? '').trim();
  root.append(description
    ? el('p', 'finding-popup__description', description)
    : el('p', 'finding-popup__description finding-popup__description--empty', STRINGS.popup.noDescription));

  const photos = photosOf(p);
  if (photos) root.append(photos);
  const details = detailsOf(p);
  if (details) root.append(details);

  if (p.mine && Number(p.confirmations) > 0) {
    root.append(el('p', 'finding-popup__votes', format(STRINGS.popup.confirmations, { n: p.confirmations })));
  }
  if (p.pending) return root;
  if (p.mine && actions.edit && actions.remove) root.append(ownActions(feature, actions));
  else if (!p.mine && actions.confirm && p.mine !== undefined) root.append(confirmAction(feature, actions));
  return root;
}
