// "Foto zuerst": when a photo carries the place it was taken (EXIF GPS), offer
// "Ort aus dem Foto übernehmen?" and, if accepted, put the pin there. A place far from the
// walk (an old photo, taken elsewhere) is offered with a warning naming the distance.

import { STRINGS, format } from '../shared/strings.js';
import { photoPosition } from './exif.js';
import { L } from '../shared/leaflet.js';

// Farther than this (metres) from the walk's area, a photo's place is offered with a warning.
const FAR_FROM_WALK_M = 1000;

/** Kilometres with one decimal, written the page language's way ("3,4" in German). */
const kilometres = (metres) => (metres / 1000).toLocaleString(document.documentElement.lang || undefined,
  { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Metres from `latlng` to the nearest point of the walk's bounds ([[s, w], [n, e]]), or null. */
function distanceFromWalk(latlng, bounds) {
  const [[south, west] = [], [north, east] = []] = bounds ?? [];
  if (![south, west, north, east].every(Number.isFinite)) return null;
  const nearest = L.latLng(Math.min(Math.max(latlng.lat, south), north), Math.min(Math.max(latlng.lng, west), east));
  return latlng.distanceTo(nearest);
}

/** "Foto zuerst" with a photo that has no place in it: say so. */
function sayNoPlace(ui) {
  ui.hint.textContent = STRINGS.photoPlace.none;
  ui.announce(STRINGS.photoPlace.none);
}

/** Offer the photo's place `latlng`, with a warning when it is far from the walk. */
function showOffer(ui, latlng) {
  const away = distanceFromWalk(latlng, ui.walkBounds);
  const far = away != null && away > FAR_FROM_WALK_M;
  const text = far ? format(STRINGS.photoPlace.far, { km: kilometres(away) }) : STRINGS.photoPlace.found;
  if (far && ui.question) ui.question.textContent = text;
  ui.panel.classList.toggle('offer--warning', far);
  ui.panel.hidden = false;
  ui.announce(text, far ? 'error' : 'info');
  ui.panel.scrollIntoView({ block: 'nearest' });
  ui.accept.focus({ preventScroll: true });
}

/** The offer was declined: back to choosing how to give the place. */
function offerDeclined(ui) {
  ui.hint.textContent = STRINGS.capture.chooseHow;
  ui.decline.closest('fieldset')?.querySelector('button')?.focus();
}

/**
 * @param {{panel: HTMLElement, question: HTMLElement, accept: HTMLButtonElement, decline: HTMLButtonElement,
 *          hint: HTMLElement, exifrUrl?: string, walkBounds?: number[][], announce: Function,
 *          placeReady: () => boolean,
 *          onAccept: (latlng: L.LatLng, message: string) => void}} ui
 */
export function createPhotoPlace(ui) {
  let offered = null; // L.LatLng on offer
  let generation = 0;
  const question = ui.question?.textContent ?? '';

  function hide() {
    offered = null;
    ui.panel.hidden = true;
    ui.panel.classList.remove('offer--warning');
    if (ui.question) ui.question.textContent = question;
  }

  /**
   * Look at a newly added photo. Offers its place when no place is chosen yet, or always
   * for "Foto zuerst" (`explicit`), which also says so when the photo has none.
   */
  async function consider(file, { explicit = false } = {}) {
    if (!explicit && (ui.placeReady() || offered)) return;
    const mine = ++generation;
    const position = await photoPosition(file, ui.exifrUrl);
    if (mine !== generation) return; // the form was reset or a newer photo is being read
    if (!position) {
      if (explicit) sayNoPlace(ui);
      return;
    }
    offered = L.latLng(position.lat, position.lon);
    showOffer(ui, offered);
  }

  ui.accept.addEventListener('click', () => {
    const latlng = offered;
    hide();
    if (latlng) ui.onAccept(latlng, STRINGS.photoPlace.taken);
  });
  ui.decline.addEventListener('click', () => {
    hide();
    offerDeclined(ui);
  });

  return {
    consider,
    /** "Foto zuerst": the button opens the camera; the photo is attached and its place offered. */
    wireFirstButton(button, input, photos) {
      button.addEventListener('click', () => input.click());
      input.addEventListener('change', () => {
        const [file] = photos.add(input.files ?? []);
        input.value = '';
        if (file) consider(file, { explicit: true });
      });
    },
    /** A place was chosen some other way: the offer is moot (unless it is being accepted). */
    placeChosen() {
      if (offered && ui.placeReady()) hide();
    },
    reset() {
      generation += 1;
      hide();
    },
  };
}
