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
import { createFormErrors } from './formerrors.js';
import { newFindingId } from './sync.js';

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
  const texts = { title: ui.title.textContent, send: ui.send.textContent, sendHint: ui.sendHint.textContent };
  let mode = 'create';
  let editing = null; // the feature being edited
  let draftId = null; // kept across retries: the server treats a repeated id as the same finding
  let sending = false;
  const waiting = []; // refused drafts to reopen once the sheet is free

  const categories = createCategoryPicker($('category-grid'), { onChange: categoryChanged });
  const urgency = $('urgency-group') ? createUrgency($('urgency-group'), $('urgency-clear')) : null;
  const attributes = $('attribute-fields') ? createAttributeFields($('attribute-fields')) : null;
  const errors = createFormErrors({
    fields: {
      place: $('place-error'), category: $('category-error'), description: $('description-error'),
      urgency: $('urgency-error'), photos: $('photo-error'),
    },
    summary: ui.formError, description: ui.description, sheet: ui.sheet, attributes, announce,
  });

  const place = createPlacePicker(map, {
    locateButton: $('locate-button'),
    tapButton: $('tap-button'),
    accuracyText: $('accuracy-text'),
    hint: $('place-hint'),
    line: $('line-button') && {
      button: $('line-button'), tools: $('line-tools'), undo: $('line-undo'), done: $('line-done'), count: $('line-count'),
    },
    onChange: () => {
      errors.set('place', '');
      photoPlace?.placeChosen();
      stateChanged();
    },
    onError: (message) => {
      errors.set('place', message);
      announce(message, 'error');
    },
    onTapMode: (on) => ui.sheet.classList.toggle('sheet--tapping', on),
  });

  const photoPlace = $('photo-place') ? createPhotoPlace({
    panel: $('photo-place'), question: $('photo-place-question'), accept: $('photo-place-accept'),
    decline: $('photo-place-decline'), hint: $('place-hint'), exifrUrl: assets.exifr, announce,
    walkBounds: config.walk?.bounds,
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

  if (photos) photoPlace?.wireFirstButton($('photo-first-button'), $('photo-first-input'), photos);

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
    errors.clear();
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
    errors.set('category', '');
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
    errors.show(draft);
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
      errors.show({ message: STRINGS.errors.validation });
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
    errors.clear();
    setSending(true);
    const taken = (await photos?.take()) ?? [];
    try {
      if (mode === 'edit') {
        const patch = { ...formFields(), ...(place.changed ? place.fields() : {}) };
        await sync.edit(editing, patch, taken);
      } else {
        draftId ??= newFindingId();
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
      errors.show(err instanceof ApiError ? err : { message: STRINGS.errors.unexpected });
      return;
    }
    setSending(false);
    close({ kept: true });
  }

  // ---- events ------------------------------------------------------------

  ui.pin.addEventListener('click', open);
  ui.cancel.addEventListener('click', () => close());
  ui.description.addEventListener('input', () => {
    errors.set('description', '');
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
