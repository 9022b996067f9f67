// "Fund melden" / "Fund bearbeiten": the bottom sheet. Place (GPS, tap, photo, stretch),
// category, the category's questions, text, photos, urgency; before a new finding is saved,
// similar ones nearby are offered for a "+1". Saving goes through the outbox (sync.js).
// Parts the page lacks (the page `/` has no photos, questions or stretches) are left out.

import { STRINGS, format } from './strings.js';
import { ApiError } from './api.js';
import { getCategory } from './categories.js';
import { createPlacePicker } from './place.js';
import { createAttributeFields } from './attributes.js';
import { createPhotoPicker } from './photos.js';
import { createNearby } from './nearby.js';
import { createPhotoPlace } from './photoplace.js';
import { createCategoryPicker, createUrgency } from './choices.js';

// Server field name → where its message is shown in the form.
const FIELD_TARGETS = {
  lat: 'place', lon: 'place', geometry: 'place', accuracy_m: 'place', category: 'category',
  description: 'description', urgency: 'urgency', photo: 'photos',
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

/**
 * @param {{map: L.Map, config: object, findings: object, sync: object, announce: Function,
 *          assets?: {exifr?: string}}} deps
 */
export function createCapture({ map, config, findings, sync, announce, assets = {} }) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    sheet: $('capture-sheet'), form: $('capture-form'), title: $('capture-title'), pin: $('pin-button'),
    description: $('description'), count: $('description-count'), more: $('capture-more'),
    send: $('send-button'), sendHint: $('send-hint'), cancel: $('cancel-button'), formError: $('form-error'),
  };
  const errorEls = {
    place: $('place-error'), category: $('category-error'), description: $('description-error'),
    urgency: $('urgency-error'), photos: $('photo-error'),
  };
  const texts = { title: ui.title.textContent, send: ui.send.textContent, sendHint: ui.sendHint.textContent };
  let mode = 'create';
  let editing = null; // the feature being edited
  let draftId = null; // kept across retries: the server treats a repeated id as the same finding
  let sending = false;
  const waiting = []; // refused drafts to reopen once the sheet is free

  const place = createPlacePicker(map, {
    locateButton: $('locate-button'),
    tapButton: $('tap-button'),
    accuracyText: $('accuracy-text'),
    hint: $('place-hint'),
    line: $('line-button') && {
      button: $('line-button'), tools: $('line-tools'), undo: $('line-undo'), done: $('line-done'), count: $('line-count'),
    },
    onChange: () => {
      setFieldError('place', '');
      photoPlace?.placeChosen();
      stateChanged();
    },
    onError: (message) => {
      setFieldError('place', message);
      announce(message, 'error');
    },
    onTapMode: (on) => ui.sheet.classList.toggle('sheet--tapping', on),
  });

  const categories = createCategoryPicker($('category-grid'), { onChange: categoryChanged });
  const urgency = $('urgency-group') ? createUrgency($('urgency-group'), $('urgency-clear')) : null;
  const attributes = $('attribute-fields') ? createAttributeFields($('attribute-fields')) : null;

  const photoPlace = $('photo-place') ? createPhotoPlace({
    panel: $('photo-place'), accept: $('photo-place-accept'), decline: $('photo-place-decline'),
    hint: $('place-hint'), exifrUrl: assets.exifr, announce,
    placeReady: () => place.ready,
    onAccept: (latlng, message) => {
      place.placeAt(latlng, message);
      if (!categories.value) categories.focus();
    },
  }) : null;

  const photos = $('photo-list') ? createPhotoPicker({
    list: $('photo-list'), count: $('photo-count'), error: $('photo-error'), announce,
    cameraButton: $('photo-camera-button'), cameraInput: $('photo-camera-input'),
    galleryButton: $('photo-gallery-button'), galleryInput: $('photo-gallery-input'),
    onAdded: (file) => photoPlace?.consider(file),
  }) : null;

  const photoFirst = { button: $('photo-first-button'), input: $('photo-first-input') };
  if (photoFirst.button && photos) {
    photoFirst.button.addEventListener('click', () => photoFirst.input.click());
    photoFirst.input.addEventListener('change', () => {
      const [file] = photos.add(photoFirst.input.files ?? []);
      photoFirst.input.value = '';
      if (file) photoPlace?.consider(file, { explicit: true });
    });
  }

  const nearby = $('nearby-panel') ? createNearby({
    panel: $('nearby-panel'), heading: $('nearby-heading'), list: $('nearby-list'),
    dismissButton: $('nearby-dismiss'), error: $('nearby-error'), config, announce,
    onConfirmed: (feature, count) => {
      close();
      findings.reload();
      announce(format(STRINGS.nearby.thanks, { n: count }));
    },
    onAsking: (on) => {
      ui.sheet.classList.toggle('sheet--asking', on);
      if (!on && isOpen()) ui.more?.querySelector('input, textarea, button')?.focus();
      stateChanged();
    },
  }) : null;

  // ---- sheet -------------------------------------------------------------

  const isOpen = () => !ui.sheet.hidden;

  function setOpen(open) {
    ui.sheet.hidden = !open;
    ui.pin.hidden = open;
    ui.pin.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('sheet-open', open);
    place.relayout();
  }

  function setMode(next, feature = null) {
    mode = next;
    editing = feature;
    ui.sheet.dataset.mode = next;
    ui.title.textContent = next === 'edit' ? STRINGS.capture.editTitle : texts.title;
    ui.send.textContent = next === 'edit' ? STRINGS.capture.editSend : texts.send;
  }

  function open() {
    if (isOpen()) return;
    map.closePopup();
    if (!editing) setMode('create');
    stateChanged();
    setOpen(true);
    ui.title.focus();
  }

  /** Empty the form and hide the sheet; `kept` skips releasing an edited pin (it was saved). */
  function close({ kept = false } = {}) {
    if (editing && !kept) findings.release(editing.id);
    place.reset();
    ui.form.reset();
    attributes?.clear();
    photos?.clear();
    photoPlace?.reset();
    nearby?.reset();
    clearErrors();
    updateCount();
    draftId = null;
    setMode('create');
    announce.clear?.();
    setOpen(false);
    ui.pin.focus();
    if (waiting.length) setTimeout(() => reopen(waiting.shift()), 0);
  }

  // ---- state -------------------------------------------------------------

  function categoryChanged() {
    setFieldError('category', '');
    const previous = attributes?.values() ?? {};
    attributes?.render(getCategory(categories.value), previous);
    stateChanged();
  }

  /** Send button and hint; a new finding with place and category looks for similar ones nearby. */
  function stateChanged() {
    const asking = Boolean(nearby?.asking);
    const ready = place.ready && Boolean(categories.value) && !asking;
    ui.send.disabled = !ready || sending;
    ui.sendHint.hidden = ready;
    ui.sendHint.textContent = asking ? STRINGS.nearby.answerFirst : texts.sendHint;
    if (mode === 'create' && isOpen() && place.ready && categories.value && !place.tapping) {
      nearby?.check(place.anchor, categories.value, config.walk_id);
    }
  }

  function updateCount() {
    ui.count.textContent = format(STRINGS.capture.charCount, { n: ui.description.value.length, max: ui.description.maxLength });
  }

  function setFieldError(target, message) {
    const node = errorEls[target];
    if (node) {
      node.textContent = message;
      node.hidden = !message;
    }
    if (target !== 'description') return;
    if (message) ui.description.setAttribute('aria-invalid', 'true');
    else ui.description.removeAttribute('aria-invalid');
  }

  function clearErrors() {
    for (const target of Object.keys(errorEls)) setFieldError(target, '');
    attributes?.clearErrors();
    ui.formError.textContent = '';
    ui.formError.hidden = true;
  }

  /** Field messages next to their controls, a summary above the buttons and in the live region. */
  function showError({ fields = {}, message = '', status = 0 }) {
    const rest = attributes ? attributes.setErrors(fields) : { ...fields };
    const byTarget = {};
    const other = [];
    for (const [field, text] of Object.entries(rest)) {
      const target = FIELD_TARGETS[field];
      if (target && errorEls[target]) (byTarget[target] ??= new Set()).add(String(text));
      else other.push(`${field}: ${text}`);
    }
    for (const [target, list] of Object.entries(byTarget)) setFieldError(target, [...list].join(' '));
    let summary = message || (Object.keys(fields).length ? STRINGS.errors.validation : STRINGS.errors.unexpected);
    if (status >= 500) summary = format(STRINGS.errors.server, { status });
    summary = [summary, ...other].join(' ');
    ui.formError.textContent = summary;
    ui.formError.hidden = false;
    announce(summary, 'error');
    ui.sheet.querySelector('.field-error:not([hidden]), .form-error:not([hidden])')?.scrollIntoView({ block: 'nearest' });
  }

  // ---- filling the form (edit, refused draft) -----------------------------

  function fill({ category, description, attributes: answers, urgency: level }) {
    categories.value = category ?? '';
    attributes?.render(getCategory(category), answers ?? {});
    ui.description.value = description ?? '';
    updateCount();
    urgency?.set(level ?? null);
  }

  /** Open the sheet for one of the participant's own findings (from its popup). */
  function edit(feature) {
    if (isOpen()) close();
    const id = String(feature.id ?? feature.properties?.id);
    findings.hold(id, 'editing');
    setMode('edit', { ...feature, id });
    const p = feature.properties ?? {};
    fill({ category: p.category, description: p.description, attributes: p.attributes, urgency: p.urgency });
    open();
    place.load(feature.geometry);
    stateChanged();
  }

  /** A draft the server refused (sync.js): back into the form, with its messages. */
  function reopen(draft) {
    if (isOpen()) {
      waiting.push(draft);
      return;
    }
    const body = draft.mode === 'edit' ? { ...draft.feature.properties, ...draft.patch } : draft.payload;
    if (draft.mode === 'edit') {
      findings.hold(draft.id, 'editing');
      setMode('edit', draft.feature);
    } else {
      setMode('create');
      draftId = draft.id;
    }
    fill(body);
    open();
    const geometry = body.geometry ?? (body.lat !== undefined ? { type: 'Point', coordinates: [body.lon, body.lat] } : draft.feature?.geometry);
    place.load(geometry);
    photos?.restore(draft.photos ?? []);
    stateChanged();
    showError(draft);
  }

  // ---- send --------------------------------------------------------------

  function setSending(on) {
    sending = on;
    ui.form.setAttribute('aria-busy', String(on));
    ui.send.textContent = on ? STRINGS.capture.sending : (mode === 'edit' ? STRINGS.capture.editSend : texts.send);
    ui.cancel.disabled = on;
    stateChanged();
  }

  /** The form's values as request fields (shared by POST and PATCH). */
  function formFields() {
    const description = ui.description.value.trim();
    return {
      category: categories.value,
      description: description || null,
      attributes: attributes?.values() ?? {},
      urgency: urgency?.value ?? null,
    };
  }

  /** Checks in the browser before anything is queued; returns false (and says why) if not ready. */
  async function ready() {
    if (!place.ready || !categories.value) return false;
    const invalid = attributes?.validate();
    if (invalid) {
      invalid.focus();
      showError({ message: STRINGS.errors.validation });
      return false;
    }
    if (mode === 'create' && nearby && !(await nearby.check(place.anchor, categories.value, config.walk_id))) {
      if (nearby.asking) $('nearby-heading')?.focus();
      return false;
    }
    return true;
  }

  async function send() {
    if (sending || !(await ready())) return;
    clearErrors();
    setSending(true);
    const taken = (await photos?.take()) ?? [];
    try {
      if (mode === 'edit') {
        const patch = { ...formFields(), ...(place.changed ? place.fields() : {}) };
        await sync.edit(editing, patch, taken);
      } else {
        draftId ??= newId();
        const payload = { id: draftId, ...place.fields(), ...formFields() };
        if (!payload.description) delete payload.description;
        if (payload.urgency === null) delete payload.urgency;
        if (config.walk_id != null) payload.walk_id = config.walk_id;
        await sync.create(payload, taken);
      }
    } catch (err) {
      console.error('could not queue the finding', err);
      photos?.restore(taken);
      setSending(false);
      showError(err instanceof ApiError ? err : { message: STRINGS.errors.unexpected });
      return;
    }
    setSending(false);
    close({ kept: true });
  }

  // ---- events ------------------------------------------------------------

  ui.pin.addEventListener('click', open);
  ui.cancel.addEventListener('click', () => close());
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
    if (place.tapping) {
      place.setTapMode(false);
      place.stopDrawing();
    } else if (!sending) {
      close();
    }
  });

  updateCount();
  stateChanged();
  return {
    open, close, edit, reopen,
    /** Fill the category grid (walk's categories) once they are loaded. */
    setCategories: (list) => categories.render(list),
  };
}
