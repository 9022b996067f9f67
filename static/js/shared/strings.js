// The scripts' user-visible texts, in the page's language. The server translates its catalogue
// of them (mapapp/i18n/js_strings.py: German msgids, gettext) for each page and renders it into
// <script type="application/json" id="mapapp-strings"> (base.html); a page the service worker
// stored keeps them, in the language it was shown in. A new text goes into js_strings.py (tests/i18n
// checks that every key a script reads is there). Static texts of a page live in its template.

/** Freeze `tree` and every object in it: the texts are read, never changed. */
function frozen(tree) {
  for (const value of Object.values(tree)) if (value && typeof value === 'object') frozen(value);
  return Object.freeze(tree);
}

/** The texts the server rendered into the page; every page has them (base.html). */
function serverStrings() {
  const element = document.getElementById('mapapp-strings');
  if (!element) throw new Error('the page lacks its texts (#mapapp-strings)');
  return JSON.parse(element.textContent);
}

export const STRINGS = frozen(serverStrings());

/** Replace `{name}` placeholders with values from `vars`. */
export function format(template, vars = {}) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in vars ? String(vars[key]) : match));
}

/** Label of a category in the current language (`label` from the API), else German, else the slug. */
export function categoryLabel(category) {
  return category?.label || category?.[`label_${STRINGS.lang}`] || category?.label_de || category?.slug || '';
}
