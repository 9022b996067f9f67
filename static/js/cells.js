// Aggregate cells of the zoomed-out home map (/api/viewport in "cells" mode): one round bubble
// per grid cell with the number of findings in it, and an accessible name saying so.
// Tapping (or Enter on) a bubble zooms in on it.

import { STRINGS, format } from './strings.js';

const L = window.L;
const ZOOM_STEP = 2;

let CellIcon = null;

/** Bubble size class by count, so that big clusters stand out. */
function sizeClass(count) {
  if (count >= 1000) return 'cell-marker--l';
  if (count >= 100) return 'cell-marker--m';
  return 'cell-marker--s';
}

function cellIcon(count) {
  CellIcon ??= L.DivIcon.extend({
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
  const label = count === 1 ? STRINGS.marker.cellOne : format(STRINGS.marker.cell, { n: count });
  return new CellIcon({
    html: false, className: `cell-marker ${sizeClass(count)}`, iconSize: [48, 48], iconAnchor: [24, 24], count, label,
  });
}

/** A layer of count bubbles; `render(features)` replaces them, `clear()` removes them. */
export function createCellLayer(map) {
  const layer = L.layerGroup();
  return {
    layer,
    render(features) {
      layer.clearLayers();
      for (const feature of features) {
        const [lon, lat] = feature.geometry?.coordinates ?? [];
        const count = Number(feature.properties?.count) || 0;
        if (lon === undefined || !count) continue;
        const marker = L.marker([lat, lon], { icon: cellIcon(count), keyboard: true });
        marker.on('click', () => map.setView([lat, lon], Math.min(map.getZoom() + ZOOM_STEP, map.getMaxZoom())));
        layer.addLayer(marker);
      }
    },
    clear: () => layer.clearLayers(),
  };
}
