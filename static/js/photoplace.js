// "Foto zuerst": when a photo carries the place it was taken (EXIF GPS), offer
// "Ort aus dem Foto übernehmen?" and, if accepted, put the pin there.

import { STRINGS } from './strings.js';
import { photoPosition } from './exif.js';

const L = window.L;

/**
 * @param {{panel: HTMLElement, accept: HTMLButtonElement, decline: HTMLButtonElement, hint: HTMLElement,
 *          exifrUrl?: string, announce: Function, placeReady: () => boolean,
 *          onAccept: (latlng: L.LatLng, message: string) => void}} ui
 */
export function createPhotoPlace(ui) {
  let offered = null; // L.LatLng on offer
  let generation = 0;

  function hide() {
    offered = null;
    ui.panel.hidden = true;
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
      if (explicit) {
        ui.hint.textContent = STRINGS.photoPlace.none;
        ui.announce(STRINGS.photoPlace.none);
      }
      return;
    }
    offered = L.latLng(position.lat, position.lon);
    ui.panel.hidden = false;
    ui.announce(STRINGS.photoPlace.found);
    ui.panel.scrollIntoView({ block: 'nearest' });
    ui.accept.focus({ preventScroll: true });
  }

  ui.accept.addEventListener('click', () => {
    const latlng = offered;
    hide();
    if (latlng) ui.onAccept(latlng, STRINGS.photoPlace.taken);
  });
  ui.decline.addEventListener('click', () => {
    hide();
    ui.hint.textContent = STRINGS.capture.chooseHow;
    ui.decline.closest('fieldset')?.querySelector('button')?.focus();
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
