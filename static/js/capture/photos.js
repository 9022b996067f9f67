// Up to five photos for a finding: camera or gallery, thumbnails with a remove button.
// Photos over 1.5 MB or 2560 px are scaled down in the browser (less mobile data on a walk;
// the server keeps a 1600 px copy anyway, but takes up to 15 MB as they come); each keeps the
// SHA-256 of the bytes that will be uploaded (PUT /api/findings/<id>/photos/<sha256>).

import { STRINGS, format } from '../shared/strings.js';
import { el } from '../shared/popup.js';

export const MAX_PHOTOS = 5;
const SHRINK_ABOVE_BYTES = 1.5 * 1024 * 1024;
const MAX_EDGE_PX = 2560;
const JPEG_QUALITY = 0.85;

/** Hex SHA-256 of a blob, or undefined where WebCrypto is missing (plain http off localhost). */
export async function sha256Hex(blob) {
  if (!crypto.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A photo over SHRINK_ABOVE_BYTES or MAX_EDGE_PX re-encoded as JPEG with at most MAX_EDGE_PX
 * per side (upright: the bitmap applies the EXIF orientation); others, and any the re-encoding
 * would not make smaller, unchanged.
 */
async function shrink(file) {
  if (!window.createImageBitmap) return file;
  try {
    const bitmap = await createImageBitmap(file);
    const longEdge = Math.max(bitmap.width, bitmap.height);
    if (file.size <= SHRINK_ABOVE_BYTES && longEdge <= MAX_EDGE_PX) {
      bitmap.close();
      return file;
    }
    const scale = Math.min(1, MAX_EDGE_PX / longEdge);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    return file; // a format the browser cannot decode (e.g. HEIC): the server decides
  }
}

/**
 * @param {{list: HTMLElement, count: HTMLElement, error: HTMLElement, cameraButton: HTMLButtonElement,
 *          cameraInput: HTMLInputElement, galleryButton: HTMLButtonElement, galleryInput: HTMLInputElement,
 *          announce: Function, onAdded?: (file: File) => void}} ui
 *   onAdded is called with each original file (EXIF intact) as it is added.
 */
export function createPhotoPicker(ui) {
  // items: {id, name, blob: Promise<Blob> (scaled down when large), url (preview)}
  const picker = { ui, items: [], nextId: 1 };
  listen(picker);
  render(picker);
  return {
    add: (files) => add(picker, files),
    setError: (message) => setError(picker, message),
    get count() { return picker.items.length; },
    /**
     * Hand the photos over for sending: [{blob, name, sha256, url}] (url: a preview for the
     * pending pin, to be revoked by the receiver). The picker is empty afterwards.
     */
    take: () => take(picker),
    /** Put photos back (a refused finding reopened): [{blob, name, url?}]. */
    restore: (photos) => restore(picker, photos),
    clear() {
      for (const item of picker.items) URL.revokeObjectURL(item.url);
      picker.items = [];
      setError(picker, '');
      render(picker);
    },
  };
}

function thumbnail(item, index) {
  const img = el('img', 'photo-thumb__img');
  img.src = item.url;
  img.alt = format(STRINGS.photos.alt, { n: index + 1 });
  const remove = el('button', 'photo-thumb__remove', '✕');
  remove.type = 'button';
  remove.dataset.photoId = String(item.id);
  remove.setAttribute('aria-label', format(STRINGS.photos.remove, { n: index + 1 }));
  const li = el('li', 'photo-thumb');
  li.append(img, remove);
  return li;
}

function render({ ui, items }) {
  ui.list.replaceChildren(...items.map(thumbnail));
  ui.count.textContent = format(STRINGS.photos.count, { n: items.length, max: MAX_PHOTOS });
  const full = items.length >= MAX_PHOTOS;
  ui.cameraButton.disabled = full;
  ui.galleryButton.disabled = full;
}

function setError({ ui }, message) {
  ui.error.textContent = message ?? '';
  ui.error.hidden = !message;
}

/** Add files (from an input or the photo-first button); extra ones beyond five are refused. */
function add(picker, files) {
  const { ui, items } = picker;
  setError(picker, '');
  const images = [...files].filter((file) => !file.type || file.type.startsWith('image/'));
  if (images.length < files.length) setError(picker, STRINGS.photos.notImage);
  const room = MAX_PHOTOS - items.length;
  if (images.length > room) {
    setError(picker, format(STRINGS.photos.tooMany, { max: MAX_PHOTOS }));
    ui.announce(format(STRINGS.photos.tooMany, { max: MAX_PHOTOS }), 'error');
  }
  const added = images.slice(0, Math.max(room, 0));
  for (const file of added) {
    items.push({ id: picker.nextId++, name: file.name || 'photo.jpg', blob: shrink(file), url: URL.createObjectURL(file) });
    ui.onAdded?.(file);
  }
  if (added.length) {
    render(picker);
    ui.announce(format(STRINGS.photos.added, { n: items.length, max: MAX_PHOTOS }));
  }
  return added;
}

function removeItem(picker, id) {
  const { ui, items } = picker;
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) return;
  URL.revokeObjectURL(items[index].url);
  items.splice(index, 1);
  render(picker);
  setError(picker, '');
  const buttons = ui.list.querySelectorAll('.photo-thumb__remove');
  (buttons[Math.min(index, buttons.length - 1)] ?? ui.cameraButton).focus();
  ui.announce(STRINGS.photos.removed);
}

function listen(picker) {
  const { ui } = picker;
  for (const [button, input] of [[ui.cameraButton, ui.cameraInput], [ui.galleryButton, ui.galleryInput]]) {
    button.addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      add(picker, input.files ?? []);
      input.value = ''; // the same photo may be chosen again after removing it
    });
  }
  ui.list.addEventListener('click', (event) => {
    const button = event.target.closest('.photo-thumb__remove');
    if (button) removeItem(picker, Number(button.dataset.photoId));
  });
}

async function take(picker) {
  const taken = await Promise.all(picker.items.map(async (item) => {
    const blob = await item.blob;
    return { blob, name: item.name, sha256: await sha256Hex(blob), url: item.url };
  }));
  picker.items = [];
  render(picker);
  return taken;
}

function restore(picker, photos) {
  for (const photo of photos.slice(0, MAX_PHOTOS - picker.items.length)) {
    const url = photo.url ?? URL.createObjectURL(photo.blob);
    picker.items.push({ id: picker.nextId++, name: photo.name || 'photo.jpg', blob: Promise.resolve(photo.blob), url });
  }
  render(picker);
}
