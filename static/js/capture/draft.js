// Filling the capture sheet (capture.js) with a finding to edit or a draft the server refused,
// and sending it through the outbox (sync.js). `c` is the sheet's state (see sheet.js).

import { STRINGS } from '../shared/strings.js';
import { ApiError } from '../shared/api.js';
import { getCategory } from '../shared/categories.js';
import { newFindingId } from './preview.js';
import { STEP } from './steps.js';
import { close, isOpen, open, setMode, showStep, stateChanged, updateCount } from './sheet.js';

// Which step shows the message of each form field (formerrors.js targets).
const STEP_OF_TARGET = {
  place: STEP.place, category: STEP.category, attributes: STEP.questions,
  description: STEP.details, photos: STEP.details, urgency: STEP.details,
};

function fill(c, { category, description, attributes: answers, urgency: level }) {
  c.categories.value = category ?? '';
  c.attributes?.render(getCategory(category), answers ?? {});
  c.ui.description.value = description ?? '';
  updateCount(c);
  c.urgency?.set(level ?? null);
}

/** Open the sheet for one of the participant's own findings (from its popup). */
export function edit(c, feature) {
  if (isOpen(c)) close(c);
  const id = String(feature.id ?? feature.properties?.id);
  c.findings.hold(id, 'editing');
  setMode(c, 'edit', { ...feature, id });
  const p = feature.properties ?? {};
  fill(c, { category: p.category, description: p.description, attributes: p.attributes, urgency: p.urgency });
  open(c, STEP.details);
  c.place.load(feature.geometry);
  stateChanged(c);
}

/** A draft the server refused (sync.js): back into the form, with its messages. */
export function reopen(c, draft) {
  if (isOpen(c)) {
    c.waiting.push(draft);
    return;
  }
  const body = draft.mode === 'edit' ? { ...draft.feature.properties, ...draft.patch } : draft.payload;
  if (draft.mode === 'edit') {
    c.findings.hold(draft.id, 'editing');
    setMode(c, 'edit', draft.feature);
  } else {
    setMode(c, 'create');
    c.draftId = draft.id;
  }
  fill(c, body);
  open(c, STEP.details);
  const geometry = body.geometry ?? (body.lat !== undefined ? { type: 'Point', coordinates: [body.lon, body.lat] } : draft.feature?.geometry);
  c.place.load(geometry);
  c.photos?.restore(draft.photos ?? []);
  stateChanged(c);
  showError(c, draft);
}

/** Show a refusal's messages at the first step that holds one of them. */
function showError(c, problem) {
  const targets = c.errors.show(problem);
  showStep(c, Math.min(...targets.map((target) => STEP_OF_TARGET[target] ?? STEP.details), STEP.details));
}

function setSending(c, on) {
  const { ui } = c;
  c.sending = on;
  ui.form.setAttribute('aria-busy', String(on));
  ui.send.textContent = on ? STRINGS.capture.sending : (c.mode === 'edit' ? STRINGS.capture.editSend : c.texts.send);
  ui.cancel.disabled = on;
  stateChanged(c);
}

/** The form's values as request fields (shared by POST and PATCH). */
function formFields(c) {
  const description = c.ui.description.value.trim();
  return {
    category: c.categories.value,
    description: description || null,
    attributes: c.attributes?.values() ?? {},
    urgency: c.urgency?.value ?? null,
  };
}

/** Checks in the browser before anything is queued; returns false (and says why) if not ready. */
async function ready(c) {
  const { place, categories, nearby } = c;
  if (!place.ready || !categories.value) {
    showStep(c, place.ready ? STEP.category : STEP.place);
    return false;
  }
  const invalid = c.attributes?.validate();
  if (invalid) {
    showStep(c, STEP.questions, { focus: invalid });
    c.errors.show({ message: STRINGS.errors.validation });
    return false;
  }
  if (c.mode === 'create' && nearby && !(await nearby.check(place.anchor, categories.value, c.config.walk_id))) {
    if (nearby.asking) showStep(c, STEP.questions);
    return false;
  }
  return true;
}

/** Hand the form to the outbox: a change of the edited finding, or a new one. */
async function queue(c, taken) {
  if (c.mode === 'edit') {
    const patch = { ...formFields(c), ...(c.place.changed ? c.place.fields() : {}) };
    await c.sync.edit(c.editing, patch, taken);
    return;
  }
  c.draftId ??= newFindingId();
  const payload = { id: c.draftId, ...c.place.fields(), ...formFields(c) };
  if (!payload.description) delete payload.description;
  if (payload.urgency === null) delete payload.urgency;
  if (c.config.walk_id != null) payload.walk_id = c.config.walk_id;
  await c.sync.create(payload, taken);
}

export async function send(c) {
  if (c.sending || !(await ready(c))) return;
  c.errors.clear();
  setSending(c, true);
  const taken = (await c.photos?.take()) ?? [];
  try {
    await queue(c, taken);
  } catch (err) {
    console.error('could not queue the finding', err);
    c.photos?.restore(taken);
    setSending(c, false);
    showError(c, err instanceof ApiError ? err : { message: STRINGS.errors.unexpected });
    return;
  }
  setSending(c, false);
  close(c, { kept: true });
}
