// The categories offered on this page (all, or a walk's), with their questions.
// Loaded once; popups and the form look labels up here.

import { STRINGS, categoryLabel } from './strings.js';
import { getJSON } from './api.js';

const bySlug = new Map();

/** Label of a question or answer choice in the current language (i18n may add `label`). */
export function localLabel(item) {
  return item?.label || item?.[`label_${STRINGS.lang}`] || item?.label_de || item?.code || item?.key || '';
}

/**
 * Load the categories (only the walk's when `walkId` is given), sorted for display.
 * @returns {Promise<object[]>} [{slug, label_de, label_en, icon, sort, attributes: [...]}]
 */
export async function loadCategories(url, walkId = null) {
  const data = await getJSON(url, { params: walkId ? { walk: walkId } : {} });
  const categories = [...(data?.categories ?? [])].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0));
  bySlug.clear();
  for (const category of categories) {
    const attributes = [...(category.attributes ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    bySlug.set(category.slug, { ...category, attributes });
  }
  return [...bySlug.values()];
}

/** The loaded category with this slug, or null. */
export const getCategory = (slug) => bySlug.get(slug) ?? null;

export const labelOf = (slug) => (bySlug.has(slug) ? categoryLabel(bySlug.get(slug)) : '');

/**
 * Readable answers of a finding: [{label, value}] in question order, for popups.
 * Unknown codes are skipped (the question may have been removed since).
 */
export function describeAnswers(slug, answers) {
  const questions = bySlug.get(slug)?.attributes ?? [];
  const rows = [];
  for (const question of questions) {
    const value = answers?.[question.code];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) continue;
    const choice = (key) => localLabel(question.values?.find((v) => v.key === key)) || String(key);
    let text;
    if (Array.isArray(value)) text = value.map(choice).join(', ');
    else if (question.datatype === 'singlevaluelist') text = choice(value);
    else if (question.datatype === 'number') text = new Intl.NumberFormat(STRINGS.locale).format(value);
    else if (question.datatype === 'datetime') text = formatDay(value);
    else text = String(value);
    rows.push({ label: localLabel(question), value: text });
  }
  return rows;
}

function formatDay(value) {
  const date = new Date(`${String(value).slice(0, 10)}T12:00:00`);
  return Number.isNaN(date.getTime()) ? String(value)
    : new Intl.DateTimeFormat(STRINGS.locale, { dateStyle: 'medium' }).format(date);
}
