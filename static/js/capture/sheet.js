// The capture sheet (capture.js) opening, closing and moving between its steps (steps.js), and
// the state that decides what "Senden" and the hints say. `c` is the sheet's state: its parts
// (place, categories, attributes, nearby, ...), its elements (`ui`) and mode, editing, draftId,
// sending, waiting, moving.

import { STRINGS, format } from '../shared/strings.js';
import { getCategory } from '../shared/categories.js';
import { STEP } from './steps.js';

export const isOpen = (c) => !c.ui.sheet.hidden;
const hasQuestions = (c) => Boolean(c.attributes?.count);

function setOpen({ ui, place }, open) {
  ui.sheet.hidden = !open;
  ui.pin.hidden = open;
  ui.pin.setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('sheet-open', open);
  place.relayout();
}

export function setMode(c, next, feature = null) {
  const { ui, texts } = c;
  c.mode = next;
  c.editing = feature;
  ui.sheet.dataset.mode = next;
  ui.title.textContent = next === 'edit' ? STRINGS.capture.editTitle : texts.title;
  ui.send.textContent = next === 'edit' ? STRINGS.capture.editSend : texts.send;
}

/** Open the sheet at step `at` (a new finding starts with the place). */
export function open(c, at = STEP.place) {
  if (isOpen(c)) return;
  c.map.closePopup();
  if (!c.editing) setMode(c, 'create');
  stateChanged(c);
  setOpen(c, true);
  showStep(c, at);
}

/** Empty the form and hide the sheet; `kept` skips releasing an edited pin (it was saved). */
export function close(c, { kept = false } = {}) {
  if (c.editing && !kept) c.findings.release(c.editing.id);
  c.place.reset();
  c.ui.form.reset();
  c.attributes?.clear();
  c.photos?.clear();
  c.photoPlace?.reset();
  c.nearby?.reset();
  c.errors.clear();
  updateCount(c);
  c.draftId = null;
  setMode(c, 'create');
  c.announce.clear?.();
  c.steps.show(STEP.place, { focus: false });
  setOpen(c, false);
  c.ui.pin.focus();
  if (c.waiting.length) setTimeout(() => c.reopen(c.waiting.shift()), 0);
}

/** Show a step; the map gets the room the sheet leaves and keeps the place in view. */
export function showStep(c, index, options) {
  const { ui, steps } = c;
  renderQuestions(c);
  steps.show(index, options);
  ui.dismiss.hidden = !(steps.current === STEP.questions && c.nearby?.asking);
  ui.next.hidden = ui.next.hidden || !ui.dismiss.hidden;
  stateChanged(c);
  c.place.relayout();
}

/** The questions step shows the +1 offer while it asks, else the category's questions. */
function renderQuestions({ ui, nearby }) {
  if (ui.questions) ui.questions.hidden = Boolean(nearby?.asking);
}

/** The questions step, or (nothing to ask, nothing nearby) the last one. */
export function showQuestions(c) {
  if (c.nearby?.asking || hasQuestions(c)) showStep(c, STEP.questions);
  else showStep(c, STEP.details);
}

/** Whether the current step has what it needs; if not, say so next to it and return false. */
function stepComplete(c, at) {
  const { errors, announce } = c;
  if (at === STEP.place && !c.place.ready) {
    errors.set('place', STRINGS.capture.placeMissing);
    announce(STRINGS.capture.placeMissing, 'error');
    c.$('locate-button')?.focus();
    return false;
  }
  if (at === STEP.category && !c.categories.value) {
    errors.set('category', STRINGS.capture.categoryMissing);
    announce(STRINGS.capture.categoryMissing, 'error');
    c.categories.focus();
    return false;
  }
  const invalid = at === STEP.questions ? c.attributes?.validate() : null;
  if (invalid) {
    invalid.focus();
    announce(STRINGS.attributes.missing, 'error');
    return false;
  }
  return true;
}

/** "Weiter": what the step needs is there (else say so next to it), then the following step. */
export async function next(c) {
  if (c.moving) return;
  const at = c.steps.current;
  if (!stepComplete(c, at)) return;
  if (at === STEP.place) {
    showStep(c, STEP.category);
  } else if (at === STEP.category) {
    await lookNearby(c);
    if (c.steps.current === STEP.category) showQuestions(c);
  } else if (at === STEP.questions) {
    showStep(c, STEP.details);
  }
}

/** A new finding: wait for the look-up of similar ones nearby before the next step. */
async function lookNearby(c) {
  if (c.mode !== 'create' || !c.nearby) return;
  c.moving = true;
  c.ui.next.setAttribute('aria-busy', 'true');
  try {
    await c.nearby.check(c.place.anchor, c.categories.value, c.config.walk_id);
  } finally {
    c.moving = false;
    c.ui.next.removeAttribute('aria-busy');
  }
}

/** "Zurück": the step before, passing over a questions step with nothing to ask. */
export function back(c) {
  let to = c.steps.current - 1;
  if (to === STEP.questions && !c.nearby?.asking && !hasQuestions(c)) to -= 1;
  showStep(c, to);
}

export function categoryChanged(c) {
  c.errors.set('category', '');
  const previous = c.attributes?.values() ?? {};
  c.attributes?.render(getCategory(c.categories.value), previous);
  stateChanged(c);
}

/** Send button and hint; a new finding with place and category looks for similar ones nearby. */
export function stateChanged(c) {
  const { ui, place, categories, nearby } = c;
  const asking = Boolean(nearby?.asking);
  const ready = place.ready && Boolean(categories.value) && !asking;
  ui.send.disabled = !ready || c.sending;
  ui.sendHint.hidden = ready || !c.steps.last;
  ui.sendHint.textContent = asking ? STRINGS.nearby.answerFirst : c.texts.sendHint;
  if (c.mode === 'create' && isOpen(c) && place.ready && categories.value && !place.tapping) {
    nearby?.check(place.anchor, categories.value, c.config.walk_id);
  }
}

export function updateCount({ ui }) {
  ui.count.textContent = format(STRINGS.capture.charCount, { n: ui.description.value.length, max: ui.description.maxLength });
}
