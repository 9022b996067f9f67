// Correcting a photo's blurring on the review pages (templates/review/_photo_blur.html): every
// button with class "photo-blur-open" and data-blur-api opens the dialog for its photo. A reviewer
// draws a box (pointer: drag over the photo; keyboard: "Neuer Bereich", then the arrow keys move it
// and Shift + arrow keys resize it, Enter blurs it) or unblurs a region. Each change re-renders the
// stored copies on the server; the page's thumbnail and link then show the new copy. Texts come
// translated from the dialog's data- attributes.

import { ApiError, NetworkError, request, setDefaultHeaders } from '../shared/api.js';

const dialog = document.getElementById('photo-blur');
const $ = (id) => document.getElementById(id);
const STEP = 0.01; // arrow keys move or resize the draft by 1 % of the photo
const MIN = 0.02;

let api = null; // the open photo's regions URL
let opener = null; // the button that opened the dialog (its thumbnail is updated)
let draft = null; // {x, y, w, h} in fractions of the photo
let dragStart = null;

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

function say(text) {
  $('photo-blur-error').hidden = true;
  $('photo-blur-message').textContent = text;
}

function complain(err) {
  let text = dialog.dataset.failed;
  if (err instanceof ApiError && err.body?.fields) text = Object.values(err.body.fields)[0] || text;
  else if (err instanceof ApiError && err.body?.message) text = err.body.message;
  else if (err instanceof NetworkError) text = dialog.dataset.offline;
  $('photo-blur-message').textContent = '';
  $('photo-blur-error').textContent = text;
  $('photo-blur-error').hidden = false;
}

function place(element, box) {
  element.style.left = `${box.x * 100}%`;
  element.style.top = `${box.y * 100}%`;
  element.style.width = `${box.w * 100}%`;
  element.style.height = `${box.h * 100}%`;
}

function showDraft() {
  const element = $('photo-blur-draft');
  element.hidden = !draft;
  $('photo-blur-apply').disabled = !draft;
  if (draft) place(element, draft);
}

function regionLabel(region) {
  const kind = region.kind === 'plate' ? dialog.dataset.plate : dialog.dataset.face;
  const source = region.source === 'auto' ? dialog.dataset.auto : dialog.dataset.manual;
  return `${kind} (${source})`;
}

function show(state) {
  $('photo-blur-image').src = state.url;
  const boxes = $('photo-blur-boxes');
  boxes.replaceChildren(...state.regions.map((region) => {
    const box = document.createElement('div');
    box.className = 'photo-blur__box';
    place(box, region);
    return box;
  }));
  $('photo-blur-lost').hidden = state.original_kept;
  const list = $('photo-blur-regions');
  list.replaceChildren(...state.regions.map((region) => {
    const item = document.createElement('li');
    item.textContent = regionLabel(region);
    if (state.original_kept) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn--secondary';
      button.textContent = dialog.dataset.unblur;
      button.setAttribute('aria-label', `${dialog.dataset.unblur}: ${regionLabel(region)}`);
      button.addEventListener('click', () => unblur(region.id));
      item.append(button);
    }
    return item;
  }));
  if (!state.regions.length) {
    const item = document.createElement('li');
    item.textContent = dialog.dataset.none;
    list.append(item);
  }
  if (opener) {
    const holder = opener.closest('li') || opener.parentElement;
    holder.querySelectorAll('img').forEach((img) => { img.src = state.thumb_url; });
    holder.querySelectorAll('a[href]').forEach((link) => { link.href = state.url; });
  }
}

async function open(button) {
  opener = button;
  api = button.dataset.blurApi;
  draft = null;
  showDraft();
  say('');
  dialog.showModal();
  try {
    show(await request(api));
  } catch (err) {
    complain(err);
  }
}

async function blur() {
  if (!draft) return;
  const box = { ...draft, kind: $('photo-blur-kind').value };
  try {
    const state = await request(api, { method: 'POST', body: box });
    draft = null;
    showDraft();
    show(state);
    say(dialog.dataset.blurred);
    $('photo-blur-new').focus();
  } catch (err) {
    complain(err);
  }
}

async function unblur(regionId) {
  try {
    show(await request(`${api}/${encodeURIComponent(regionId)}`, { method: 'DELETE' }));
    say(dialog.dataset.unblurred);
    $('photo-blur-new').focus();
  } catch (err) {
    complain(err);
  }
}

// ---- drawing with a pointer -------------------------------------------------------------------

function fraction(event) {
  const rect = $('photo-blur-image').getBoundingClientRect();
  return { x: clamp((event.clientX - rect.left) / rect.width, 0, 1), y: clamp((event.clientY - rect.top) / rect.height, 0, 1) };
}

function drag(event) {
  if (!dragStart) return;
  const now = fraction(event);
  draft = { x: Math.min(dragStart.x, now.x), y: Math.min(dragStart.y, now.y),
            w: Math.abs(now.x - dragStart.x), h: Math.abs(now.y - dragStart.y) };
  showDraft();
}

function endDrag(event) {
  if (!dragStart) return;
  drag(event);
  dragStart = null;
  if (draft && (draft.w < MIN || draft.h < MIN)) draft = null;
  showDraft();
  if (draft) $('photo-blur-draft').focus();
}

// ---- drawing with the keyboard ----------------------------------------------------------------

const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

function nudge(event) {
  if (event.key === 'Enter') {
    event.preventDefault();
    blur();
    return;
  }
  const move = MOVES[event.key];
  if (!move || !draft) return;
  event.preventDefault();
  const [dx, dy] = move.map((v) => v * STEP); // the photo is not mirrored in right-to-left pages
  if (event.shiftKey) {
    draft.w = clamp(draft.w + dx, MIN, 1 - draft.x);
    draft.h = clamp(draft.h + dy, MIN, 1 - draft.y);
  } else {
    draft.x = clamp(draft.x + dx, 0, 1 - draft.w);
    draft.y = clamp(draft.y + dy, 0, 1 - draft.h);
  }
  showDraft();
}

if (dialog) {
  setDefaultHeaders({ 'X-CSRFToken': dialog.dataset.csrfToken });
  document.querySelectorAll('.photo-blur-open').forEach((button) => {
    button.addEventListener('click', () => open(button));
  });
  const stage = $('photo-blur-stage');
  stage.addEventListener('pointerdown', (event) => {
    if (event.target.id === 'photo-blur-draft' && draft) return;
    dragStart = fraction(event);
    stage.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  stage.addEventListener('pointermove', drag);
  stage.addEventListener('pointerup', endDrag);
  stage.addEventListener('pointercancel', () => { dragStart = null; });
  $('photo-blur-draft').addEventListener('keydown', nudge);
  $('photo-blur-new').addEventListener('click', () => {
    draft = { x: 0.4, y: 0.4, w: 0.2, h: 0.2 };
    showDraft();
    $('photo-blur-draft').focus();
  });
  $('photo-blur-apply').addEventListener('click', blur);
  dialog.dataset.ready = '1'; // the buttons work from here on
}
