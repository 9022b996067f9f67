// The capture sheet one step at a time: which step shows, the progress ("Schritt 2 von 4"),
// the action bar (Abbrechen/Zurück on the start side, Weiter/Senden on the end side) and
// where the focus goes. What a step needs before "Weiter" is decided by capture.js.

import { STRINGS, format } from '../shared/strings.js';

export const STEP = { place: 0, category: 1, questions: 2, details: 3 };

/**
 * @param {{panels: HTMLElement[], progress: HTMLElement, bar: HTMLElement|null, cancel: HTMLButtonElement,
 *          back: HTMLButtonElement, next: HTMLButtonElement, send: HTMLButtonElement}} ui
 *   panels: one element per step, in order; each has a `.step__title` heading to focus.
 */
export function createSteps(ui) {
  let current = STEP.place;
  const last = ui.panels.length - 1;
  const segments = ui.bar ? [...ui.bar.children] : [];

  /** Show step `index`; `focus` is what gets the focus (default: the step's heading; false: none). */
  function show(index, { focus } = {}) {
    current = Math.max(0, Math.min(index, last));
    ui.panels.forEach((panel, i) => { panel.hidden = i !== current; });
    ui.progress.textContent = format(STRINGS.capture.step, { n: current + 1, count: ui.panels.length });
    segments.forEach((segment, i) => segment.classList.toggle('progress-bar__step--done', i <= current));
    ui.cancel.hidden = current !== STEP.place;
    ui.back.hidden = current === STEP.place;
    ui.next.hidden = current === last;
    ui.send.hidden = current !== last;
    ui.panels[current].closest('.sheet')?.scrollTo?.({ top: 0 });
    if (focus === false) return;
    (focus ?? visibleTitle(ui.panels[current]))?.focus();
  }

  return {
    get current() { return current; },
    get last() { return current === last; },
    show,
  };
}

/** The step's heading that is shown (the questions step has two: the +1 offer's and the questions'). */
function visibleTitle(panel) {
  return [...panel.querySelectorAll('.step__title')].find((title) => title.offsetParent !== null)
    ?? panel.querySelector('.step__title');
}
