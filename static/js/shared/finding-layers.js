// One finding as a Leaflet layer: a pin (an emoji badge with an accessible name) for a point, a
// coloured path for a stretch; each with its popup bound. Pins that would overlap are grouped
// into count bubbles (see pin-popups.js for how their popups survive the regrouping).

import { STRINGS, format } from './strings.js';
import { countIcon } from './cells.js';
import { buildPopup, featureId, featureLabel } from './popup.js';
import { keepPopupThroughRegrouping } from './pin-popups.js';
import { ROOM_OPTIONS, makeRoom, releaseRoom } from './popup-room.js';
import { L } from './leaflet.js';

const LINE_COLOURS = { other: '#b3400a', mine: '#6a1b9a' };
// Pan padding keeps popups clear of the zoom and layer controls (top corners) and the buttons
// and the sync line at the bottom; popup-room.js measures them when a popup opens.
const POPUP_OPTIONS = { maxWidth: 300, minWidth: 220, ...ROOM_OPTIONS };

let FindingIcon = null;

/** Accessible name of a marker: category, and whether it is one's own / not sent yet. */
function markerLabel(feature) {
  const p = feature.properties ?? {};
  const key = p.pending ? 'pending' : (p.mine ? 'mine' : 'finding');
  return format(STRINGS.marker[key], { category: featureLabel(feature) });
}

/** A DivIcon whose element holds the emoji badge, the finding id and the accessible name. */
function findingIconClass() {
  FindingIcon ??= L.DivIcon.extend({
    createIcon(oldIcon) {
      const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      const badge = document.createElement('span');
      badge.className = 'finding-marker__badge';
      badge.textContent = this.options.emoji;
      badge.setAttribute('aria-hidden', 'true');
      div.replaceChildren(badge);
      div.dataset.findingId = this.options.findingId;
      div.setAttribute('aria-label', this.options.label);
      return div;
    },
  });
  return FindingIcon;
}

/** Marker icon: emoji in a round badge; the marker element carries the finding id and an accessible name. */
export function findingIcon(feature) {
  const Icon = findingIconClass();
  const p = feature.properties ?? {};
  const classes = ['finding-marker'];
  if (p.mine) classes.push('finding-marker--mine');
  if (p.pending) classes.push('finding-marker--pending');
  return new Icon({
    html: false,
    className: classes.join(' '),
    iconSize: [44, 44],
    iconAnchor: [22, 22],
    popupAnchor: [0, -16],
    emoji: p.icon || '•',
    findingId: featureId(feature),
    label: markerLabel(feature),
  });
}

export function lineStyle(feature) {
  const p = feature.properties ?? {};
  return {
    color: p.mine ? LINE_COLOURS.mine : LINE_COLOURS.other,
    weight: 6,
    opacity: 0.9,
    dashArray: p.pending ? '2 10' : null,
    className: `finding-line${p.mine ? ' finding-line--mine' : ''}`,
  };
}

/** Group icon of overlapping pins: a count bubble saying how many findings it holds. */
export function clusterIcon(cluster) {
  const n = cluster.getChildCount();
  return countIcon(n, format(STRINGS.marker.cluster, { n }), 'finding-cluster');
}

/** A stretch's path layer; its elements carry the finding id and an accessible name. */
function lineLayer(feature) {
  const layer = L.geoJSON(feature, { style: lineStyle });
  layer.on('add', () => layer.eachLayer((path) => {
    const element = path.getElement();
    element?.setAttribute('data-finding-id', featureId(feature));
    element?.setAttribute('aria-label', markerLabel(feature));
  }));
  return layer;
}

/** Leaflet layer for one feature (Point → marker, others → GeoJSON path), popup bound. */
export function featureToLayer(feature, actions) {
  const geometry = feature.geometry;
  let layer;
  if (geometry?.type === 'Point') {
    const [lon, lat] = geometry.coordinates;
    layer = L.marker([lat, lon], { icon: findingIcon(feature), keyboard: true, riseOnHover: true });
  } else {
    layer = lineLayer(feature);
  }
  layer.bindPopup(() => buildPopup(feature, actions), POPUP_OPTIONS);
  if (layer instanceof L.Marker) keepPopupThroughRegrouping(layer);
  layer.on('popupopen', ({ popup }) => {
    if (layer._map) makeRoom(layer._map, popup);
  });
  layer.on('popupclose', releaseRoom);
  return layer;
}
