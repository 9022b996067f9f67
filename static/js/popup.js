// Builds the popup content of a finding from its GeoJSON feature.
// Only DOM nodes and textContent: user text can never become markup.

import { STRINGS, categoryLabel } from './strings.js';

const dateFormat = new Intl.DateTimeFormat(STRINGS.locale, {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: STRINGS.timeZone,
});

/** Small helper: element with optional class and text. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** The id of a feature as a string ('' when missing). */
export function featureId(feature) {
  return String(feature?.id ?? feature?.properties?.id ?? '');
}

/** Category label of a feature: label from the API, else the slug. */
export function featureLabel(feature) {
  const p = feature?.properties ?? {};
  return p.category_label || categoryLabel({ slug: p.category }) || STRINGS.popup.unknownCategory;
}

function formatDate(value) {
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? { text: dateFormat.format(date), iso: date.toISOString() } : null;
}

/**
 * Popup element for a finding.
 * @param {object} feature GeoJSON Feature from /api/findings
 * @returns {HTMLElement} `<article class="finding-popup" data-finding-id="…">`
 */
export function buildPopup(feature) {
  const p = feature?.properties ?? {};
  const root = el('article', 'finding-popup');
  root.dataset.findingId = featureId(feature);
  if (p.category) root.dataset.category = p.category;

  const title = el('h2', 'finding-popup__title');
  if (p.icon) {
    const icon = el('span', 'finding-popup__icon', p.icon);
    icon.setAttribute('aria-hidden', 'true');
    title.append(icon);
  }
  title.append(el('span', 'finding-popup__label', featureLabel(feature)));
  root.append(title);

  const description = (p.description ?? '').trim();
  root.append(description
    ? el('p', 'finding-popup__description', description)
    : el('p', 'finding-popup__description finding-popup__description--empty', STRINGS.popup.noDescription));

  const details = el('dl', 'finding-popup__details');
  const addDetail = (label, value) => {
    if (!value) return;
    details.append(el('dt', null, label), el('dd', null, value));
  };
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
  if (details.childElementCount) root.append(details);

  return root;
}
