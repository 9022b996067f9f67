// Category-specific questions (category.attributes, Open311-like) as form controls:
// singlevaluelist → radio buttons, multivaluelist → checkboxes, string → input,
// text → textarea, number → number input, datetime → date input.
// Answers go to the API as `attributes: {code: value}` (multivaluelist: array of keys).

import { STRINGS } from '../shared/strings.js';
import { localLabel } from '../shared/categories.js';
import { el } from '../shared/popup.js';

const TEXT_MAX = { string: 200, text: 2000 };
const idOf = (code) => `attr-${code}`;

function legendText(question) {
  const label = el('span', null, localLabel(question));
  if (!question.required) return [label];
  return [label, ' ', el('span', 'required-mark', STRINGS.attributes.required)];
}

/** Radio buttons or checkboxes in a fieldset; large rows for thumbs. */
function choiceField(question) {
  const multiple = question.datatype === 'multivaluelist';
  const fieldset = el('fieldset', 'group question');
  const legend = el('legend', 'group__legend');
  legend.append(...legendText(question));
  const list = el('div', 'choice-list');
  list.setAttribute('role', multiple ? 'group' : 'radiogroup');
  if (question.required && !multiple) list.setAttribute('aria-required', 'true');
  for (const value of question.values ?? []) {
    const input = el('input');
    input.type = multiple ? 'checkbox' : 'radio';
    input.name = idOf(question.code);
    input.value = value.key;
    const option = el('label', 'choice');
    option.append(input, el('span', 'choice__label', localLabel(value)));
    list.append(option);
  }
  fieldset.append(legend, list);
  return fieldset;
}

/** One text, number or date input with its label. */
function inputField(question) {
  const wrapper = el('div', 'group question');
  const label = el('label', 'group__legend');
  label.htmlFor = idOf(question.code);
  label.append(...legendText(question));
  let input;
  if (question.datatype === 'text') {
    input = el('textarea', 'textarea');
    input.rows = 2;
  } else {
    input = el('input', 'input');
    input.type = { number: 'number', datetime: 'date' }[question.datatype] ?? 'text';
    if (input.type === 'number') {
      input.step = 'any';
      input.inputMode = 'decimal';
    }
  }
  if (TEXT_MAX[question.datatype]) input.maxLength = TEXT_MAX[question.datatype];
  input.id = idOf(question.code);
  input.name = idOf(question.code);
  if (question.required) input.setAttribute('aria-required', 'true');
  wrapper.append(label, input);
  return wrapper;
}

/** A question's control with its (hidden) error line under the question, above the answers. */
function questionBlock(question) {
  const root = question.values?.length && question.datatype.endsWith('valuelist') ? choiceField(question) : inputField(question);
  const error = el('p', 'field-error');
  error.id = `${idOf(question.code)}-error`;
  error.hidden = true;
  root.firstElementChild.after(error); // under the question, above the answers: seen when it blocks
  root.dataset.code = question.code;
  root.setAttribute('aria-describedby', error.id);
  return { root, error, question };
}

/** Put a stored answer into a question's controls (editing a finding). */
function fill(question, root, value) {
  if (value === undefined || value === null) return;
  if (question.datatype.endsWith('valuelist')) {
    const keys = new Set(Array.isArray(value) ? value : [value]);
    root.querySelectorAll('input').forEach((input) => { input.checked = keys.has(input.value); });
  } else {
    const input = root.querySelector('input, textarea');
    input.value = question.datatype === 'datetime' ? String(value).slice(0, 10) : String(value);
  }
}

/** The answer to one question, or undefined when unanswered (or not a number). */
function read({ question, root }) {
  if (question.datatype === 'multivaluelist') {
    const keys = [...root.querySelectorAll('input:checked')].map((input) => input.value);
    return keys.length ? keys : undefined;
  }
  if (question.datatype === 'singlevaluelist') return root.querySelector('input:checked')?.value;
  const raw = root.querySelector('input, textarea').value.trim();
  if (!raw) return undefined;
  if (question.datatype === 'number') {
    const number = Number(raw.replace(',', '.'));
    return Number.isFinite(number) ? number : undefined;
  }
  return raw;
}

/** Show (or with an empty `message` hide) a question's error. */
function showError(block, message) {
  block.error.textContent = message ?? '';
  block.error.hidden = !message;
  block.root.querySelectorAll('input, textarea').forEach((input) => {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  });
}

/** What is wrong with an answer: not a number, or a required question unanswered; '' when nothing. */
function problemOf(block) {
  const raw = block.root.querySelector('input[type=number]')?.value.trim();
  if (raw && read(block) === undefined) return STRINGS.attributes.notANumber;
  if (block.question.required && read(block) === undefined) return STRINGS.attributes.missing;
  return '';
}

/** {code: value} of the answered questions. */
function answersOf(blocks) {
  const answers = {};
  for (const [code, block] of blocks) {
    const value = read(block);
    if (value !== undefined) answers[code] = value;
  }
  return answers;
}

/** Show server messages named `attributes.<code>` with `setError`; returns those it could not place. */
function placeErrors(fields, setError) {
  const rest = {};
  for (const [name, message] of Object.entries(fields)) {
    const code = name.startsWith('attributes.') ? name.slice('attributes.'.length) : null;
    if (!code || !setError(code, String(message))) rest[name] = message;
  }
  return rest;
}

/**
 * @param {HTMLElement} container where the questions go (emptied on each render)
 * @param {{onChange?: Function}} options
 */
export function createAttributeFields(container, { onChange } = {}) {
  let questions = [];
  const blocks = new Map(); // code → {root, error}

  function render(category, values = {}) {
    questions = category?.attributes ?? [];
    blocks.clear();
    container.replaceChildren(...questions.map((question) => {
      const block = questionBlock(question);
      blocks.set(question.code, block);
      fill(question, block.root, values[question.code]);
      return block.root;
    }));
    container.hidden = !questions.length;
  }

  function setError(code, message) {
    const block = blocks.get(code);
    if (!block) return false;
    showError(block, message);
    return true;
  }

  container.addEventListener('input', (event) => {
    const code = event.target.closest('[data-code]')?.dataset.code;
    if (code) setError(code, '');
    onChange?.();
  });

  return {
    render,
    /** How many questions the category asks. */
    get count() { return questions.length; },
    /** {code: value} of the answered questions. */
    values: () => answersOf(blocks),
    /** Mark unanswered required questions and wrong numbers; returns the first bad control or null. */
    validate() {
      let first = null;
      for (const [code, block] of blocks) {
        const message = problemOf(block);
        setError(code, message);
        if (message) first ??= block.root.querySelector('input, textarea');
      }
      return first;
    },
    /** Server messages named `attributes.<code>`; returns those it could not place. */
    setErrors: (fields) => placeErrors(fields, setError),
    clearErrors() {
      for (const code of blocks.keys()) setError(code, '');
    },
    clear() {
      render(null);
    },
  };
}
