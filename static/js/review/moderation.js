// The moderation queue (/review/moderation): approve, hide or edit each item, by button or key.
// Keys (shown on the page): j/k next/previous item, a approve (unhide on the hidden tab),
// h hide, e edit the public text. Keys are ignored while typing in a field and while a dialog
// (the blur dialog of templates/review/_photo_blur.html) is open.
import { ApiError, request, setDefaultHeaders } from '../shared/api.js';

const config = JSON.parse(document.getElementById('moderation-config').textContent);
const T = config.texts;
setDefaultHeaders({ 'X-CSRFToken': config.csrf_token });

const list = document.querySelector('.moderation__list');
const status = document.getElementById('moderation-status');
const empty = document.querySelector('.moderation__empty');
const badge = document.querySelector('[data-role="moderation-count"]');

const items = () => [...document.querySelectorAll('.moderation-item')];
const current = () => document.activeElement?.closest?.('.moderation-item') ?? null;

function say(text) {
  status.textContent = '';
  // A fresh text node each time, so the same message is announced again.
  requestAnimationFrame(() => { status.textContent = text; });
}

function focusItem(item) {
  if (!item) return;
  item.focus();
  item.scrollIntoView({ block: 'nearest' });
}

function move(step) {
  const all = items();
  if (!all.length) return;
  const index = all.indexOf(current());
  const next = index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
  focusItem(all[next]);
}

function fill(template, id, action = '') {
  return template.replace('{id}', encodeURIComponent(id)).replace('{action}', action);
}

function updateCount(pending) {
  if (badge && typeof pending === 'number') badge.textContent = String(pending);
}

/** The item is decided: take it off this tab's list and focus the next one. */
function removeItem(item) {
  const all = items();
  const next = all[all.indexOf(item) + 1] ?? all[all.indexOf(item) - 1];
  item.remove();
  if (next) focusItem(next);
  if (!items().length) {
    list?.remove();
    empty.hidden = false;
    say(T.empty);
  }
}

async function decide(item, action) {
  const button = item.querySelector(`[data-action="${action}"]`);
  if (!button) return;
  const url = fill(config.api[item.dataset.kind], item.dataset.id, action);
  button.setAttribute('aria-busy', 'true');
  try {
    const result = await request(url, { method: 'POST', body: {} });
    updateCount(result.pending);
    say(action === 'hide' ? T.hidden : T.approved);
    removeItem(item);
  } catch (err) {
    say(err instanceof ApiError && err.body?.message ? err.body.message : T.failed);
  } finally {
    button.removeAttribute('aria-busy');
  }
}

function openEditor(item) {
  const form = item.querySelector('[data-role="edit-form"]');
  if (!form) return;
  form.hidden = false;
  form.querySelector('textarea').focus();
}

function closeEditor(item) {
  item.querySelector('[data-role="edit-form"]').hidden = true;
  focusItem(item);
}

async function saveEdit(item, form) {
  const textarea = form.querySelector('textarea');
  const error = form.querySelector('[data-role="edit-error"]');
  try {
    const result = await request(fill(config.api.edit, item.dataset.id), { method: 'PUT', body: { text: textarea.value } });
    updateCount(result.pending);
    textarea.removeAttribute('aria-invalid');
    error.hidden = true;
    say(T.saved);
    removeItem(item);
  } catch (err) {
    const message = (err instanceof ApiError && (err.fields?.text || err.body?.message)) || T.failed;
    error.textContent = message;
    error.hidden = false;
    textarea.setAttribute('aria-invalid', 'true');
    say(message);
  }
}

document.addEventListener('click', (event) => {
  const item = event.target.closest('.moderation-item');
  if (!item) return;
  const action = event.target.closest('[data-action]')?.dataset.action;
  if (action) decide(item, action);
  else if (event.target.closest('[data-role="edit"]')) openEditor(item);
  else if (event.target.closest('[data-role="edit-cancel"]')) closeEditor(item);
});

document.addEventListener('submit', (event) => {
  const form = event.target.closest('[data-role="edit-form"]');
  if (!form) return;
  event.preventDefault();
  saveEdit(form.closest('.moderation-item'), form);
});

const KEYS = {
  j: () => move(1),
  k: () => move(-1),
  a: (item) => item && decide(item, item.querySelector('[data-action="unhide"]') ? 'unhide' : 'approve'),
  h: (item) => item && decide(item, 'hide'),
  e: (item) => item && openEditor(item),
};

document.addEventListener('keydown', (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
  if (event.target.closest?.('dialog') || document.querySelector('dialog[open]')) return;
  if (event.target.closest?.('input, textarea, select, [contenteditable="true"]')) {
    if (event.key === 'Escape' && event.target.closest('[data-role="edit-form"]')) closeEditor(current());
    return;
  }
  const handler = KEYS[event.key];
  if (!handler) return;
  event.preventDefault();
  handler(current());
});
