// "Fund melden" / "Fund bearbeiten": the bottom sheet, in steps (steps.js): place (GPS, tap,
// photo, stretch) → category → the category's questions, or a "+1" for a similar finding
// nearby → text, photos, urgency. Saving goes through the outbox (sync.js).
// The sheet's parts are made in capture-parts.js, its steps and state kept in sheet.js, the
// form filled and sent in draft.js; all of them share the sheet's state `c`.

import { STEP } from './steps.js';
import { createParts } from './capture-parts.js';
import { back, close, isOpen, next, open, stateChanged, updateCount } from './sheet.js';
import { edit, reopen, send } from './draft.js';

/** The sheet's elements by role. */
function sheetElements($) {
  return {
    sheet: $('capture-sheet'), form: $('capture-form'), title: $('capture-title'), pin: $('pin-button'),
    description: $('description'), count: $('description-count'), questions: $('questions-part'),
    send: $('send-button'), sendHint: $('send-hint'), cancel: $('cancel-button'), formError: $('form-error'),
    back: $('back-button'), next: $('next-button'), close: $('close-button'), dismiss: $('nearby-dismiss'),
  };
}

/**
 * @param {{map: L.Map, config: object, findings: object, sync: object, announce: Function,
 *          assets?: {exifr?: string}}} deps
 */
export function createCapture({ map, config, findings, sync, announce, assets = {} }) {
  const $ = (id) => document.getElementById(id);
  const ui = sheetElements($);
  const c = {
    map, config, findings, sync, announce, assets, $, ui,
    texts: { title: ui.title.textContent, send: ui.send.textContent, sendHint: ui.sendHint.textContent },
    mode: 'create',
    editing: null, // the feature being edited
    draftId: null, // kept across retries: the server treats a repeated id as the same finding
    sending: false,
    waiting: [], // refused drafts to reopen once the sheet is free
    moving: false, // "Weiter" is waiting for the nearby look-up
  };
  c.reopen = (draft) => reopen(c, draft);
  createParts(c);
  listen(c);
  updateCount(c);
  c.steps.show(STEP.place, { focus: false });
  stateChanged(c);
  return {
    open: (at) => open(c, at),
    close: (options) => close(c, options),
    edit: (feature) => edit(c, feature),
    reopen: c.reopen,
    /** Fill the category grid (walk's categories) once they are loaded. */
    setCategories: (list) => c.categories.render(list),
  };
}

function listen(c) {
  const { ui, errors, place } = c;
  ui.pin.addEventListener('click', () => open(c));
  ui.cancel.addEventListener('click', () => close(c));
  ui.close.addEventListener('click', () => close(c));
  ui.back.addEventListener('click', () => back(c));
  ui.next.addEventListener('click', () => next(c));
  ui.description.addEventListener('input', () => {
    errors.set('description', '');
    updateCount(c);
  });
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (c.steps.last) send(c);
    else next(c); // Enter in a field of an earlier step
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !isOpen(c) || event.defaultPrevented) return;
    if (place.tapping) {
      place.setTapMode(false);
      place.stopDrawing();
    } else if (!c.sending) {
      close(c);
    }
  });
}
