// "Fund melden": bottom sheet to place a pin, pick a category, describe and send.

import { STRINGS, format, categoryLabel } from './strings.js';
import { getJSON, postJSON, ApiError, NetworkError } from './api.js';
import { featureLabel } from './popup.js';
import { createPlacePicker } from './place.js';

// Server field name → where its message is shown in the form.
const FIELD_TARGETS = {
  lat: 'place', lon: 'place', geometry: 'place', accuracy_m: 'place', category: 'category', description: 'description',
};

/** UUID for a new finding; falls back to getRandomValues outside secure contexts (plain http). */
function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @param {{map: L.Map, config: object, findings: {addFeature: Function}, announce: Function}} deps
 */
export function createCapture({ map, config, findings, announce }) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    sheet: $('capture-sheet'), form: $('capture-form'), title: $('capture-title'), pin: $('pin-button'),
    grid: $('category-grid'), description: $('description'), count: $('description-count'),
    send: $('send-button'), sendHint: $('send-hint'), cancel: $('cancel-button'), formError: $('form-error'),
  };
  const errorEls = { place: $('place-error'), category: $('category-error'), description: $('description-error') };
  const labels = new Map(); // category slug → label
  const sendLabel = ui.send.textContent; // from the template
  let draftId = null; // kept across retries: the server treats a repeated id as the same finding
  let sending = false;

  const place = createPlacePicker(map, {
    locateButton: $('locate-button'),
    tapButton: $('tap-button'),
    accuracyText: $('accuracy-text'),
    hint: $('place-hint'),
    onChange: () => {
      setFieldError('place', '');
      updateSendState();
    },
    onError: (message) => {
      setFieldError('place', message);
      announce(message, 'error');
    },
    onTapMode: (on) => ui.sheet.classList.toggle('sheet--tapping', on),
  });

  // ---- sheet -------------------------------------------------------------

  const isOpen = () => !ui.sheet.hidden;

  function setOpen(open) {
    ui.sheet.hidden = !open;
    ui.pin.hidden = open;
    ui.pin.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('sheet-open', open);
    place.relayout();
  }

  function open() {
    if (isOpen()) return;
    map.closePopup();
    updateSendState();
    setOpen(true);
    ui.title.focus();
  }

  function close() {
    place.reset();
    ui.form.reset();
    clearErrors();
    updateCount();
    draftId = null;
    announce.clear?.();
    setOpen(false);
    ui.pin.focus();
  }

  // ---- categories --------------------------------------------------------

  async function loadCategories() {
    try {
      const data = await getJSON(config.api.categories);
      const categories = [...(data?.categories ?? [])].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0));
      ui.grid.replaceChildren(...categories.map(categoryOption));
      return categories;
    } catch (err) {
      announce(STRINGS.errors.categories, 'error');
      setFieldError('category', STRINGS.errors.categories);
      throw err;
    }
  }

  /** <label><input type=radio name=category> <span tile>icon label</span></label> */
  function categoryOption(category) {
    const label = categoryLabel(category);
    labels.set(category.slug, label);
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'category', value: category.slug });
    const icon = element('span', 'category-icon', category.icon ?? '');
    icon.setAttribute('aria-hidden', 'true');
    const tile = element('span', 'category-tile');
    tile.append(icon, element('span', 'category-label', label));
    const option = element('label', 'category-option');
    option.append(input, tile);
    return option;
  }

  const selectedCategory = () => ui.grid.querySelector('input[name="category"]:checked')?.value ?? '';

  // ---- form state and errors ---------------------------------------------

  function updateSendState() {
    const ready = Boolean(place.latlng && selectedCategory());
    ui.send.disabled = !ready || sending;
    ui.sendHint.hidden = ready;
  }

  function updateCount() {
    ui.count.textContent = format(STRINGS.capture.charCount, { n: ui.description.value.length, max: ui.description.maxLength });
  }

  function setFieldError(target, message) {
    errorEls[target].textContent = message;
    errorEls[target].hidden = !message;
    if (target !== 'description') return;
    if (message) ui.description.setAttribute('aria-invalid', 'true');
    else ui.description.removeAttribute('aria-invalid');
  }

  function clearErrors() {
    for (const target of Object.keys(errorEls)) setFieldError(target, '');
    ui.formError.textContent = '';
    ui.formError.hidden = true;
  }

  /** Field messages next to their controls, a summary above the buttons and in the live region. */
  function showError(err) {
    let message = STRINGS.errors.unexpected;
    if (err instanceof ApiError) {
      const byTarget = {};
      const other = [];
      for (const [field, text] of Object.entries(err.fields)) {
        const target = FIELD_TARGETS[field];
        if (target) (byTarget[target] ??= new Set()).add(String(text));
        else other.push(`${field}: ${text}`);
      }
      for (const [target, texts] of Object.entries(byTarget)) setFieldError(target, [...texts].join(' '));
      const serverError = format(STRINGS.errors.server, { status: err.status });
      const fallback = Object.keys(err.fields).length ? STRINGS.errors.validation : serverError;
      message = [err.status >= 500 ? serverError : (err.body?.message || fallback), ...other].join(' ');
    } else if (err instanceof NetworkError) {
      message = STRINGS.errors.network;
    } else {
      console.error(err);
    }
    ui.formError.textContent = message;
    ui.formError.hidden = false;
    announce(message, 'error');
    ui.sheet.querySelector('.field-error:not([hidden]), .form-error:not([hidden])')?.scrollIntoView({ block: 'nearest' });
  }

  // ---- send --------------------------------------------------------------

  function setSending(on) {
    sending = on;
    ui.form.setAttribute('aria-busy', String(on));
    ui.send.textContent = on ? STRINGS.capture.sending : sendLabel;
    ui.cancel.disabled = on;
    updateSendState();
  }

  async function send() {
    const category = selectedCategory();
    if (sending || !place.latlng || !category) return;
    draftId ??= newId();
    const payload = {
      id: draftId,
      lat: Number(place.latlng.lat.toFixed(7)),
      lon: Number(place.latlng.lng.toFixed(7)),
      category,
    };
    if (place.accuracy != null) payload.accuracy_m = Math.round(place.accuracy * 10) / 10;
    const description = ui.description.value.trim();
    if (description) payload.description = description;
    if (config.walk_id != null) payload.walk_id = config.walk_id;

    clearErrors();
    setSending(true);
    let feature;
    try {
      feature = await postJSON(config.api.findings, payload);
    } catch (err) {
      setSending(false);
      showError(err);
      return;
    }
    setSending(false);
    close();
    findings.addFeature(feature, { open: true });
    const props = feature?.properties ?? {};
    const label = props.category_label ? featureLabel(feature) : (labels.get(category) ?? category);
    announce(props.ortsteil
      ? format(STRINGS.saved, { category: label, place: props.ortsteil })
      : format(STRINGS.savedNoPlace, { category: label }));
  }

  // ---- events ------------------------------------------------------------

  ui.pin.addEventListener('click', open);
  ui.cancel.addEventListener('click', close);
  ui.grid.addEventListener('change', () => {
    setFieldError('category', '');
    updateSendState();
  });
  ui.description.addEventListener('input', () => {
    setFieldError('description', '');
    updateCount();
  });
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !isOpen() || event.defaultPrevented) return;
    if (place.tapping) place.setTapMode(false);
    else if (!sending) close();
  });

  updateCount();
  updateSendState();
  return { open, close, loadCategories };
}
