// "Fund melden" / "Fund bearbeiten": the bottom sheet, in steps (steps.js): place (GPS, tap,
// photo, stretch) → category → the category's questions, or a "+1" for a similar finding
// nearby → text, photos, urgency. Saving goes through the outbox (sync.js).
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
import { createSteps, STEP } from './steps.js';

// Which step shows the message of each form field (formerrors.js targets).
const STEP_OF_TARGET = {
  place: STEP.place, category: STEP.category, attributes: STEP.questions,
  description: STEP.details, photos: STEP.details, urgency: STEP.details,
};

/**
 * @param {{map: L.Map, config: object, findings: object, sync: object, announce: Function,
 *          assets?: {exifr?: string}}} deps
 */
export function createCapture({ map, config, findings, sync, announce, assets = {} }) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    sheet: $('capture-sheet'), form: $('capture-form'), title: $('capture-title'), pin: $('pin-button'),
    description: $('description'), count: $('description-count'), questions: $('questions-part'),
    send: $('send-button'), sendHint: $('send-hint'), cancel: $('cancel-button'), formError: $('form-error'),
    back: $('back-button'), next: $('next-button'), close: $('close-button'), dismiss: $('nearby-dismiss'),
  };
  const texts = { title: ui.title.textContent, send: ui.send.textContent, sendHint: ui.sendHint.textContent };
  let mode = 'create';
  let editing = null; // the feature being edited
  let draftId = null; // kept across retries: the server treats a repeated id as the same finding
  let sending = false;
  const waiting = []; // refused drafts to reopen once the sheet is free
  let moving = false; // "Weiter" is waiting for the nearby look-up

  const steps = createSteps({
    panels: [$('step-place'), $('step-category'), $('step-questions'), $('step-details')],
    progress: $('capture-progress'), bar: ui.sheet.querySelector('.progress-bar'),
    cancel: ui.cancel, back: ui.back, next: ui.next, send: ui.send,
  });

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
      if (!place.tapping) place.relayout(); // the hints below the buttons may have changed the sheet's height
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
      if (steps.current === STEP.place) ui.next.focus();
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
    dismissButton: ui.dismiss, error: $('nearby-error'), config, announce,
    onConfirmed: (feature, count) => {
      close();
      findings.reload();
      announce(format(STRINGS.nearby.thanks, { n: count }));
    },
    onAsking: (on) => {
      stateChanged();
      // Before the questions step the offer waits for "Weiter"; later (the pin was moved) it comes up.
      if (isOpen() && (on ? steps.current >= STEP.questions : steps.current === STEP.questions)) showQuestions();
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

  /** Open the sheet at step `at` (a new finding starts with the place). */
  function open(at = STEP.place) {
    if (isOpen()) return;
    map.closePopup();
    if (!editing) setMode('create');
    stateChanged();
    setOpen(true);
    showStep(at);
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
    steps.show(STEP.place, { focus: false });
    setOpen(false);
    ui.pin.focus();
    if (waiting.length) setTimeout(() => reopen(waiting.shift()), 0);
  }

  // ---- steps -------------------------------------------------------------

  /** Show a step; the map gets the room the sheet leaves and keeps the place in view. */
  function showStep(index, options) {
    renderQuestions();
    steps.show(index, options);
    ui.dismiss.hidden = !(steps.current === STEP.questions && nearby?.asking);
    ui.next.hidden = ui.next.hidden || !ui.dismiss.hidden;
    stateChanged();
    place.relayout();
  }

  const hasQuestions = () => Boolean(attributes?.count);

  /** The questions step shows the +1 offer while it asks, else the category's questions. */
  function renderQuestions() {
    if (ui.questions) ui.questions.hidden = Boolean(nearby?.asking);
  }

  /** The questions step, or (nothing to ask, nothing nearby) the last one. */
  function showQuestions() {
    if (nearby?.asking || hasQuestions()) showStep(STEP.questions);
    else showStep(STEP.details);
  }

  /** "Weiter": what the step needs is there (else say so next to it), then the following step. */
  async function next() {
    if (moving) return;
    const at = steps.current;
    if (at === STEP.place) {
      if (!place.ready) {
        errors.set('place', STRINGS.capture.placeMissing);
        announce(STRINGS.capture.placeMissing, 'error');
        $('locate-button')?.focus();
        return;
      }
      showStep(STEP.category);
    } else if (at === STEP.category) {
      if (!categories.value) {
        errors.set('category', STRINGS.capture.categoryMissing);
        announce(STRINGS.capture.categoryMissing, 'error');
        categories.focus();
        return;
      }
      await lookNearby();
      if (steps.current === STEP.category) showQuestions();
    } else if (at === STEP.questions) {
      const invalid = attributes?.validate();
      if (invalid) {
        invalid.focus();
        announce(STRINGS.attributes.missing, 'error');
        return;
      }
      showStep(STEP.details);
    }
  }

  /** A new finding: wait for the look-up of similar ones nearby before the next step. */
  async function lookNearby() {
    if (mode !== 'create' || !nearby) return;
    moving = true;
    ui.next.setAttribute('aria-busy', 'true');
    try {
      await nearby.check(place.anchor, categories.value, config.walk_id);
    } finally {
      moving = false;
      ui.next.removeAttribute('aria-busy');
    }
  }

  /** "Zurück": the step before, passing over a questions step with nothing to ask. */
  function back() {
    let to = steps.current - 1;
    if (to === STEP.questions && !nearby?.asking && !hasQuestions()) to -= 1;
    showStep(to);
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
    ui.sendHint.hidden = ready || !steps.last;
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
    open(STEP.details);
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
    open(STEP.details);
    const geometry = body.geometry ?? (body.lat !== undefined ? { type: 'Point', coordinates: [body.lon, body.lat] } : draft.feature?.geometry);
    place.load(geometry);
    photos?.restore(draft.photos ?? []);
    stateChanged();
    showError(draft);
  }

  /** Show a refusal's messages at the first step that holds one of them. */
  function showError(problem) {
    const targets = errors.show(problem);
    showStep(Math.min(...targets.map((target) => STEP_OF_TARGET[target] ?? STEP.details), STEP.details));
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
    if (!place.ready || !categories.value) {
      showStep(place.ready ? STEP.category : STEP.place);
      return false;
    }
    const invalid = attributes?.validate();
    if (invalid) {
      showStep(STEP.questions, { focus: invalid });
      errors.show({ message: STRINGS.errors.validation });
      return false;
    }
    if (mode === 'create' && nearby && !(await nearby.check(place.anchor, categories.value, config.walk_id))) {
      if (nearby.asking) showStep(STEP.questions);
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
      showError(err instanceof ApiError ? err : { message: STRINGS.errors.unexpected });
      return;
    }
    setSending(false);
    close({ kept: true });
  }

  // ---- events ------------------------------------------------------------

  ui.pin.addEventListener('click', () => open());
  ui.cancel.addEventListener('click', () => close());
  ui.close.addEventListener('click', () => close());
  ui.back.addEventListener('click', back);
  ui.next.addEventListener('click', next);
  ui.description.addEventListener('input', () => {
    errors.set('description', '');
    updateCount();
  });
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (steps.last) send();
    else next(); // Enter in a field of an earlier step
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
  steps.show(STEP.place, { focus: false });
  stateChanged();
  return {
    open, close, edit, reopen,
    /** Fill the category grid (walk's categories) once they are loaded. */
    setCategories: (list) => categories.render(list),
  };
}
