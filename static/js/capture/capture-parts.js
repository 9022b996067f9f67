// The parts of the capture sheet (capture.js), each from its own module, wired to the sheet's
// state `c` (see sheet.js). Parts the page lacks (the page `/` has no photos, questions or
// stretches) are left out.

import { STRINGS, format } from '../shared/strings.js';
import { createFormErrors } from '../shared/formerrors.js';
import { createPlacePicker } from './place.js';
import { createAttributeFields } from './attributes.js';
import { createPhotoPicker } from './photos.js';
import { createNearby } from './nearby.js';
import { createPhotoPlace } from './photoplace.js';
import { createCategoryPicker, createUrgency } from './choices.js';
import { createSteps, STEP } from './steps.js';
import { categoryChanged, close, isOpen, showQuestions, stateChanged } from './sheet.js';

/** Steps, category grid, urgency, questions and the form's error messages. */
function createFormParts(c) {
  const { $, ui } = c;
  c.steps = createSteps({
    panels: [$('step-place'), $('step-category'), $('step-questions'), $('step-details')],
    progress: $('capture-progress'), bar: ui.sheet.querySelector('.progress-bar'),
    cancel: ui.cancel, back: ui.back, next: ui.next, send: ui.send,
  });
  c.categories = createCategoryPicker($('category-grid'), { onChange: () => categoryChanged(c) });
  c.urgency = $('urgency-group') ? createUrgency($('urgency-group'), $('urgency-clear')) : null;
  c.attributes = $('attribute-fields') ? createAttributeFields($('attribute-fields')) : null;
  c.errors = createFormErrors({
    fields: {
      place: $('place-error'), category: $('category-error'), description: $('description-error'),
      urgency: $('urgency-error'), photos: $('photo-error'),
    },
    summary: ui.formError, description: ui.description, sheet: ui.sheet, attributes: c.attributes,
    announce: c.announce,
  });
}

function createPlace(c) {
  const { $, errors, ui } = c;
  c.place = createPlacePicker(c.map, {
    locateButton: $('locate-button'),
    tapButton: $('tap-button'),
    accuracyText: $('accuracy-text'),
    hint: $('place-hint'),
    line: $('line-button') && {
      button: $('line-button'), tools: $('line-tools'), undo: $('line-undo'), done: $('line-done'), count: $('line-count'),
    },
    onChange: () => {
      errors.set('place', '');
      c.photoPlace?.placeChosen();
      stateChanged(c);
      if (!c.place.tapping) c.place.relayout(); // the hints below the buttons may have changed the sheet's height
    },
    onError: (message) => {
      errors.set('place', message);
      c.announce(message, 'error');
    },
    onTapMode: (on) => ui.sheet.classList.toggle('sheet--tapping', on),
  });
}

/** Photos, and the offer to place the finding where the first photo was taken. */
function createPhotoParts(c) {
  const { $, announce } = c;
  c.photoPlace = $('photo-place') ? createPhotoPlace({
    panel: $('photo-place'), question: $('photo-place-question'), accept: $('photo-place-accept'),
    decline: $('photo-place-decline'), hint: $('place-hint'), exifrUrl: c.assets.exifr, announce,
    walkBounds: c.config.walk?.bounds,
    placeReady: () => c.place.ready,
    onAccept: (latlng, message) => {
      c.place.placeAt(latlng, message);
      if (c.steps.current === STEP.place) c.ui.next.focus();
    },
  }) : null;
  c.photos = $('photo-list') ? createPhotoPicker({
    list: $('photo-list'), count: $('photo-count'), error: $('photo-error'), announce,
    cameraButton: $('photo-camera-button'), cameraInput: $('photo-camera-input'),
    galleryButton: $('photo-gallery-button'), galleryInput: $('photo-gallery-input'),
    onAdded: (file) => c.photoPlace?.consider(file),
  }) : null;
  if (c.photos) c.photoPlace?.wireFirstButton($('photo-first-button'), $('photo-first-input'), c.photos);
}

/** The "+1" offer for a similar finding nearby. */
function createNearbyPart(c) {
  const { $, announce } = c;
  c.nearby = $('nearby-panel') ? createNearby({
    panel: $('nearby-panel'), heading: $('nearby-heading'), list: $('nearby-list'),
    dismissButton: c.ui.dismiss, error: $('nearby-error'), config: c.config, announce,
    onConfirmed: (feature, count) => {
      close(c);
      c.findings.reload();
      announce(format(STRINGS.nearby.thanks, { n: count }));
    },
    onAsking: (on) => {
      stateChanged(c);
      // Before the questions step the offer waits for "Weiter"; later (the pin was moved) it comes up.
      if (isOpen(c) && (on ? c.steps.current >= STEP.questions : c.steps.current === STEP.questions)) showQuestions(c);
    },
  }) : null;
}

export function createParts(c) {
  createFormParts(c);
  createPlace(c);
  createPhotoParts(c);
  createNearbyPart(c);
}
