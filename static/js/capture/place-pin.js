// The place picker's pin (place.js): the draggable draft pin with its accuracy circle, the own
// position from the GPS, and keeping the pin in view above the sheet. `p` is the picker's state.

import { STRINGS, format } from '../shared/strings.js';
import { L } from '../shared/leaflet.js';

const GEO_OPTIONS = { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 };
const GEO_ERRORS = { 1: 'geoDenied', 2: 'geoUnavailable', 3: 'geoTimeout' };
// Worse than this (metres), the GPS position is a guess: placing by a tap is suggested.
const POOR_ACCURACY_M = 50;
// The draft pin stands 44 px tall on its tip; it should keep this far from the map's edges.
const PIN_PX = 44;
const EDGE_PX = 12;
// A GPS fix without an accuracy shows this many metres around the pin.
const MIN_VIEW_M = 50;

/**
 * After the layout changed (sheet opened, a step or a hint changed its height): resize the map
 * and, when the pin (or the stretch's middle) is not clear of the map's edges, centre it in the
 * part of the map the sheet leaves free.
 */
export function relayout({ map, state, line }) {
  map.invalidateSize({ pan: false });
  const at = state.latlng ?? line.middle();
  if (!at) return;
  const size = map.getSize();
  const tip = map.latLngToContainerPoint(at);
  const clear = tip.x >= EDGE_PX && tip.x <= size.x - EDGE_PX && tip.y >= PIN_PX + EDGE_PX && tip.y <= size.y - EDGE_PX;
  if (!clear) map.panBy([tip.x - size.x / 2, tip.y - PIN_PX / 2 - size.y / 2], { animate: false });
}

export function restingHint({ line, state, hint }) {
  if (line.complete) hint.textContent = format(STRINGS.capture.lineSet, { n: line.count });
  else hint.textContent = state.latlng ? STRINGS.capture.placeSet : STRINGS.capture.chooseHow;
}

export function removePoint({ state, accuracyText }) {
  state.marker?.remove();
  state.circle?.remove();
  Object.assign(state, { marker: null, circle: null, latlng: null, accuracy: null });
  accuracyText.textContent = '';
}

/** The draggable draft pin, added to the map; a drag makes it a place without GPS accuracy. */
function addMarker(p) {
  const { state } = p;
  const icon = L.divIcon({ className: 'draft-marker', html: false, iconSize: [PIN_PX, PIN_PX], iconAnchor: [PIN_PX / 2, PIN_PX] });
  state.marker = L.marker(state.latlng, { icon, draggable: true, autoPan: true, keyboard: false, zIndexOffset: 1000 });
  state.marker.on('dragend', () => {
    set(p, state.marker.getLatLng(), null); // a moved pin no longer has the GPS accuracy
    p.hint.textContent = STRINGS.capture.placeMoved;
  });
  state.marker.addTo(p.map);
  state.marker.getElement()?.setAttribute('role', 'img'); // aria-label needs a role (axe: aria-prohibited-attr)
  state.marker.getElement()?.setAttribute('aria-label', STRINGS.marker.draft);
}

/** The accuracy circle around the pin and its text (a warning when the fix is poor). */
function showAccuracy({ state, map, accuracyText }, accuracy) {
  state.circle?.remove();
  state.circle = accuracy == null ? null
    : L.circle(state.latlng, { radius: accuracy, interactive: false, className: 'accuracy-circle' }).addTo(map);
  const poor = accuracy != null && accuracy > POOR_ACCURACY_M;
  accuracyText.classList.toggle('hint--warning', poor);
  accuracyText.textContent = accuracy == null ? ''
    : format(poor ? STRINGS.capture.accuracyPoor : STRINGS.capture.accuracy, { m: Math.round(accuracy) });
}

/** Put the draggable pin at `latlng`; `accuracy` in metres draws the circle. */
export function set(p, latlng, accuracy = null) {
  const { state } = p;
  if (p.line.count) p.line.clear();
  state.latlng = L.latLng(latlng);
  state.accuracy = accuracy;
  state.changed = true;
  if (!state.marker) addMarker(p);
  else state.marker.setLatLng(state.latlng);
  showAccuracy(p, accuracy);
  restingHint(p);
  p.onChange();
}

/** The own position as the pin, the view zoomed to its accuracy. */
export function locate(p) {
  const { state, locateButton, map } = p;
  p.setTapMode(false);
  p.stopDrawing();
  if (!navigator.geolocation) {
    p.onError(STRINGS.errors.geoUnsupported);
    return;
  }
  const generation = state.generation;
  locateButton.disabled = true;
  locateButton.setAttribute('aria-busy', 'true');
  p.hint.textContent = STRINGS.capture.locating;
  const done = () => {
    locateButton.disabled = false;
    locateButton.removeAttribute('aria-busy');
    return generation === state.generation; // false: the sheet was closed meanwhile
  };
  navigator.geolocation.getCurrentPosition((position) => {
    if (!done()) return;
    const { latitude, longitude, accuracy } = position.coords;
    const latlng = L.latLng(latitude, longitude);
    set(p, latlng, Number.isFinite(accuracy) ? accuracy : null);
    // The accuracy circle in view; a good fix zooms in close (the map part above the sheet is small).
    map.fitBounds(latlng.toBounds(2 * (accuracy || MIN_VIEW_M)), { maxZoom: 18, padding: [24, 24] });
  }, (err) => {
    if (!done()) return;
    restingHint(p);
    p.onError(STRINGS.errors[GEO_ERRORS[err.code] ?? 'geoUnavailable']);
  }, GEO_OPTIONS);
}
