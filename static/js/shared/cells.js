// Count bubbles: the aggregate cells of the zoomed-out home map (/api/viewport in "cells" mode)
// and the groups of overlapping pins (markercluster, see findings.js). One round bubble with
// the number of findings in it and an accessible name saying so. Tapping (or Enter on) a cell
// bubble zooms in on it. Cells that would overlap on the screen are merged into one bubble.

import { STRINGS, format } from './strings.js';
import { clearOf, overlayBoxes } from './map-overlays.js';
import { L } from './leaflet.js';

const ZOOM_STEP = 2;
/** Centre distance (px) below which two bubbles would overlap: the largest bubble (46 px wide
 *  for four digits, see app.css) plus a gap. */
export const BUBBLE_SPACING = 56;
/** Half the widest bubble plus a gap: how far a bubble's centre stays from a control or button. */
const BUBBLE_REACH = 28;

let CountIcon = null;

/** Bubble size class by count, so that big clusters stand out. */
function sizeClass(count) {
  if (count >= 1000) return 'cell-marker--l';
  if (count >= 100) return 'cell-marker--m';
  return 'cell-marker--s';
}

/** A round count bubble with `label` as its accessible name; `extraClass` e.g. for clusters. */
export function countIcon(count, label, extraClass = '') {
  CountIcon ??= L.DivIcon.extend({
    createIcon(oldIcon) {
      const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      const number = document.createElement('span');
      number.className = 'cell-marker__count';
      number.textContent = String(this.options.count);
      number.setAttribute('aria-hidden', 'true');
      div.replaceChildren(number);
      div.dataset.count = String(this.options.count);
      div.setAttribute('aria-label', this.options.label);
      return div;
    },
  });
  return new CountIcon({
    html: false,
    className: `cell-marker ${sizeClass(count)} ${extraClass}`.trim(),
    iconSize: [48, 48],
    iconAnchor: [24, 24],
    count,
    label,
  });
}

function cellIcon(count) {
  const label = count === 1 ? STRINGS.marker.cellOne : format(STRINGS.marker.cell, { n: count });
  return countIcon(count, label);
}

/**
 * Merge bubbles closer than `spacing` px: biggest first, each smaller one joins the first
 * kept bubble it would overlap (adding its count); kept bubbles stay where they are, so no
 * two of them end up closer than `spacing`.
 * @param {{x: number, y: number, count: number}[]} bubbles screen positions
 * @returns {{x: number, y: number, count: number, members: number}[]}
 */
export function mergeOverlapping(bubbles, spacing = BUBBLE_SPACING) {
  const kept = [];
  const sorted = [...bubbles].sort((a, b) => b.count - a.count);
  for (const bubble of sorted) {
    const near = kept.find((k) => Math.hypot(k.x - bubble.x, k.y - bubble.y) < spacing);
    if (near) {
      near.count += bubble.count;
      near.members += 1;
    } else {
      kept.push({ ...bubble, members: 1 });
    }
  }
  return kept;
}

/**
 * The cells' bubbles at their screen points (map container pixels). A bubble that would lie
 * under a control or a floating button moves just clear of it: a cell is an area some 64 px
 * wide, its bubble a mark of that area, and a number under the zoom buttons can be neither
 * read nor tapped.
 */
function placeBubbles(map, features) {
  const { x: width, y: height } = map.getSize();
  const boxes = overlayBoxes(map.getContainer());
  const bubbles = [];
  for (const feature of features) {
    const [lon, lat] = feature.geometry?.coordinates ?? [];
    const count = Number(feature.properties?.count) || 0;
    if (lon === undefined || !count) continue;
    const point = map.latLngToContainerPoint([lat, lon]);
    bubbles.push({ ...clearOf(point.x, point.y, boxes, BUBBLE_REACH, width, height), lat, lon, count });
  }
  return bubbles;
}

/** A layer of count bubbles; `render(features)` replaces them, `clear()` removes them. */
export function createCellLayer(map) {
  const layer = L.layerGroup();
  return {
    layer,
    render(features) {
      layer.clearLayers();
      for (const { x, y, lat, lon, count } of mergeOverlapping(placeBubbles(map, features))) {
        // Shown where it was placed; a tap zooms in on the cell itself.
        const marker = L.marker(map.containerPointToLatLng([x, y]), { icon: cellIcon(count), keyboard: true });
        marker.on('click', () => map.setView([lat, lon], Math.min(map.getZoom() + ZOOM_STEP, map.getMaxZoom())));
        layer.addLayer(marker);
      }
    },
    clear: () => layer.clearLayers(),
  };
}
