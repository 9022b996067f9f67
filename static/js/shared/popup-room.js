// Room for an open finding popup on a phone: panned clear of the map's controls at the top and
// of the buttons and the sync line at the bottom. A popup taller than the room above the sync
// line (a photo, three lines of places and times) would end under it, its buttons covered: the
// line then steps aside while the popup is open; it is a status, the popup's buttons are actions.

import { overlayBoxes } from './map-overlays.js';

const MIN_TOP = 110; // the zoom control's usual bottom, before anything is measured
const MIN_BOTTOM = 100; // the "Fund melden" button's usual top, from the bottom
const SIDE = 16;
const GAP = 8;

/** Popup options: the pan padding before makeRoom has measured anything. */
export const ROOM_OPTIONS = { autoPanPaddingTopLeft: [SIDE, MIN_TOP], autoPanPaddingBottomRight: [SIDE, MIN_BOTTOM] };
const STATUS_LINE = '#sync-status';
const STEPPED_ASIDE = 'data-popup-over-status';

/** Padding from the top: below the lowest control in the map's top half. */
function topRoom(boxes, height) {
  return Math.max(MIN_TOP, ...boxes.filter((b) => b.bottom < height / 2).map((b) => b.bottom + GAP));
}

/** Padding from the bottom: above the highest thing over the map's bottom half. */
function bottomRoom(boxes, height) {
  return Math.max(MIN_BOTTOM, ...boxes.filter((b) => b.top > height / 2).map((b) => height - b.top + GAP));
}

/** Pan `popup` (just opened on `map`) into the room left between what covers the map. */
export function makeRoom(map, popup) {
  const container = map.getContainer();
  const height = container.clientHeight;
  const boxes = overlayBoxes(container);
  const top = topRoom(boxes, height);
  const tall = (popup.getElement()?.offsetHeight ?? 0) > height - top - bottomRoom(boxes, height);
  document.body.toggleAttribute(STEPPED_ASIDE, tall);
  const bottom = bottomRoom(tall ? overlayBoxes(container, { except: STATUS_LINE }) : boxes, height);
  if (popup.options.autoPanPaddingTopLeft?.[1] === top && popup.options.autoPanPaddingBottomRight?.[1] === bottom) return;
  Object.assign(popup.options, { autoPanPaddingTopLeft: [SIDE, top], autoPanPaddingBottomRight: [SIDE, bottom] });
  popup.update(); // pans again, with the new padding
}

/** The popup closed: the sync line comes back. */
export function releaseRoom() {
  document.body.removeAttribute(STEPPED_ASIDE);
}
