// What covers a map: its controls (zoom, layers, attribution; mirrored on right-to-left pages)
// and the page's buttons and lines floating over it (marked `data-map-overlay`: "Fund melden",
// the sync line).
// Count bubbles are placed clear of them (cells.js), so that no number hides under a button.

const OVERLAYS = '.leaflet-control, [data-map-overlay]';

/**
 * The boxes of what is drawn over the map, in the map container's pixels, clipped to it;
 * hidden elements are left out.
 * @param {HTMLElement} container the map's element
 * @param {{except?: string|null}} options  a selector of overlays to leave out
 * @returns {{left: number, top: number, right: number, bottom: number}[]}
 */
export function overlayBoxes(container, { except = null } = {}) {
  const frame = container.getBoundingClientRect();
  const boxes = [];
  for (const element of document.querySelectorAll(OVERLAYS)) {
    if (except && element.matches(except)) continue;
    const r = element.getBoundingClientRect();
    const box = {
      left: Math.max(r.left, frame.left) - frame.left,
      top: Math.max(r.top, frame.top) - frame.top,
      right: Math.min(r.right, frame.right) - frame.left,
      bottom: Math.min(r.bottom, frame.bottom) - frame.top,
    };
    if (r.width > 0 && r.height > 0 && box.right > box.left && box.bottom > box.top) boxes.push(box);
  }
  return boxes;
}

const covers = (box, x, y, reach) => x > box.left - reach && x < box.right + reach
  && y > box.top - reach && y < box.bottom + reach;

/**
 * The point nearest to (x, y) where a round bubble of radius `reach` lies clear of every box
 * and inside a `width` × `height` frame: (x, y) itself when nothing covers it; else the
 * shortest move out of the covering box (sideways, up or down) that lands clear; else (x, y).
 */
export function clearOf(x, y, boxes, reach, width, height) {
  const inside = (px, py) => px >= reach && px <= width - reach && py >= reach && py <= height - reach;
  const free = (px, py) => inside(px, py) && !boxes.some((box) => covers(box, px, py, reach));
  const box = boxes.find((b) => covers(b, x, y, reach));
  if (!box) return { x, y };
  const moves = [
    { x: box.left - reach, y }, { x: box.right + reach, y },
    { x, y: box.top - reach }, { x, y: box.bottom + reach },
  ].sort((a, b) => Math.hypot(a.x - x, a.y - y) - Math.hypot(b.x - x, b.y - y));
  return moves.find((m) => free(m.x, m.y)) ?? { x, y };
}
