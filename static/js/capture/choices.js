// Two choice controls of the form: the category tiles (large radio buttons with icons)
// and the optional "Wie dringend?" scale 1–5 (radio buttons in the template, words at the ends).

import { categoryLabel } from '../shared/strings.js';
import { el } from '../shared/popup.js';

/** <label><input type=radio name=category> <span tile>icon label</span></label> */
function categoryOption(category) {
  const input = el('input');
  input.type = 'radio';
  input.name = 'category';
  input.value = category.slug;
  const icon = el('span', 'category-icon', category.icon ?? '');
  icon.setAttribute('aria-hidden', 'true');
  const tile = el('span', 'category-tile');
  tile.append(icon, el('span', 'category-label', categoryLabel(category)));
  const option = el('label', 'category-option');
  option.append(input, tile);
  return option;
}

/**
 * @param {HTMLElement} grid #category-grid
 * @param {{onChange: Function}} options
 */
export function createCategoryPicker(grid, { onChange }) {
  const inputs = () => [...grid.querySelectorAll('input[name="category"]')];
  grid.addEventListener('change', onChange);
  return {
    render(categories) {
      const chosen = this.value;
      grid.replaceChildren(...categories.map(categoryOption));
      if (chosen) this.value = chosen;
    },
    get value() {
      return grid.querySelector('input[name="category"]:checked')?.value ?? '';
    },
    set value(slug) {
      for (const input of inputs()) input.checked = input.value === slug;
    },
    focus() {
      (grid.querySelector('input:checked') ?? inputs()[0])?.focus();
    },
  };
}

/**
 * @param {HTMLElement} group fieldset with radio buttons name="urgency" value 1..5
 * @param {HTMLButtonElement|null} clearButton "Keine Angabe": takes the choice back
 */
export function createUrgency(group, clearButton) {
  const radios = () => [...group.querySelectorAll('input[name="urgency"]')];
  const paint = () => {
    if (clearButton) clearButton.hidden = !radios().some((radio) => radio.checked);
  };
  group.addEventListener('change', paint);
  clearButton?.addEventListener('click', () => {
    for (const radio of radios()) radio.checked = false;
    paint();
    radios()[0]?.focus();
  });
  // form.reset() unchecks the radios without a change event.
  group.closest('form')?.addEventListener('reset', () => setTimeout(paint, 0));
  paint();
  return {
    get value() {
      const checked = radios().find((radio) => radio.checked);
      return checked ? Number(checked.value) : null;
    },
    set(level) {
      for (const radio of radios()) radio.checked = Number(radio.value) === level;
      paint();
    },
  };
}
