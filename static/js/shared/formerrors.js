// Error messages of the capture form: next to their field, a summary above the buttons,
// and in the live region. Server field names (422 `fields`) are mapped to where they show.

import { STRINGS, format } from './strings.js';

// Server field name → which message element of the form shows it.
const FIELD_TARGETS = {
  lat: 'place', lon: 'place', geometry: 'place', accuracy_m: 'place', category: 'category',
  description: 'description', urgency: 'urgency', photo: 'photos',
};

/**
 * @param {{fields: Object<string, HTMLElement|null>, summary: HTMLElement, description: HTMLElement,
 *          sheet: HTMLElement, attributes: object|null, announce: Function}} ui
 *   fields: target name → its error element (missing ones are skipped)
 */
export function createFormErrors(ui) {
  function set(target, message) {
    const node = ui.fields[target];
    if (node) {
      node.textContent = message;
      node.hidden = !message;
    }
    if (target !== 'description') return;
    if (message) ui.description.setAttribute('aria-invalid', 'true');
    else ui.description.removeAttribute('aria-invalid');
  }

  function clear() {
    for (const target of Object.keys(ui.fields)) set(target, '');
    ui.attributes?.clearErrors();
    ui.summary.textContent = '';
    ui.summary.hidden = true;
  }

  /**
   * Show {fields, message, status} (a refusal, an ApiError or a local check); returns the
   * targets that got a message next to their field ('attributes' for the category's questions).
   */
  function show({ fields = {}, message = '', status = 0 }) {
    const rest = ui.attributes ? ui.attributes.setErrors(fields) : { ...fields };
    const placed = Object.keys(rest).length < Object.keys(fields).length ? ['attributes'] : [];
    const byTarget = {};
    const other = [];
    for (const [field, text] of Object.entries(rest)) {
      const target = FIELD_TARGETS[field];
      if (target && ui.fields[target]) (byTarget[target] ??= new Set()).add(String(text));
      else other.push(`${field}: ${text}`);
    }
    for (const [target, texts] of Object.entries(byTarget)) set(target, [...texts].join(' '));
    let summary = message || (Object.keys(fields).length ? STRINGS.errors.validation : STRINGS.errors.unexpected);
    if (status >= 500) summary = format(STRINGS.errors.server, { status });
    summary = [summary, ...other].join(' ');
    ui.summary.textContent = summary;
    ui.summary.hidden = false;
    ui.announce(summary, 'error');
    ui.sheet.querySelector('.field-error:not([hidden]), .form-error:not([hidden])')?.scrollIntoView({ block: 'nearest' });
    return [...placed, ...Object.keys(byTarget)];
  }

  return { set, clear, show };
}
