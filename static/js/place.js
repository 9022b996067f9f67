// Choosing where a finding is: own location (GPS, with its accuracy circle), a tap on the
// map, the place a photo was taken (see exif.js), each shown as a draggable pin; or a
// stretch drawn vertex by vertex ("Strecke", see line.js).

import { STRINGS, format } from './strings.js';
import { createLineDrawer } from './line.js';

const L = window.L;
const GEO_OPTIONS = { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 };
const GEO_ERRORS = { 1: 'geoDenied', 2: 'geoUnavailable', 3: 'geoTimeout' };
// Worse than this (metres), the GPS position is a guess: placing by a tap is suggested.
const POOR_ACCURACY_M = 50;
const round = (value) => Math.round(value * 1e7) / 1e7;
// The draft pin stands 44 px tall on its tip; it should keep this far from the map's edges.
const PIN_PX = 44;
const EDGE_PX = 12;
// A GPS fix without an accuracy shows this many metres around the pin.
const MIN_VIEW_M = 50;

/**
 * @param {L.Map} map
 * @param {{locateButton: HTMLButtonElement, tapButton: HTMLButtonElement, accuracyText: HTMLElement,
 *          hint: HTMLElement, onChange: Function, onError: (message: string) => void,
 *          onTapMode: (on: boolean) => void,
 *          line?: {button: HTMLButtonElement, tools: HTMLElement, undo: HTMLButtonElement,
 *                  done: HTMLButtonElement, count: HTMLElement}}} options
 *   `line` is optional: without it only points can be placed (the page `/`).
 */
export function createPlacePicker(map, { locateButton, tapButton, accuracyText, hint, onChange, onError, onTapMode, line: lineUi }) {
  const state = { latlng: null, accuracy: null, tapping: false, marker: null, circle: null, generation: 0, changed: false };
  const container = map.getContainer();
  const line = createLineDrawer(map, { onChange: lineChanged });

  const busy = () => state.tapping || line.drawing;

  /**
   * After the layout changed (sheet opened, a step or a hint changed its height): resize the map
   * and, when the pin (or the stretch's middle) is not clear of the map's edges, centre it in the
   * part of the map the sheet leaves free.
   */
  function relayout() {
    map.invalidateSize({ pan: false });
    const at = state.latlng ?? line.middle();
    if (!at) return;
    const size = map.getSize();
    const tip = map.latLngToContainerPoint(at);
    const clear = tip.x >= EDGE_PX && tip.x <= size.x - EDGE_PX && tip.y >= PIN_PX + EDGE_PX && tip.y <= size.y - EDGE_PX;
    if (!clear) map.panBy([tip.x - size.x / 2, tip.y - PIN_PX / 2 - size.y / 2], { animate: false });
  }

  function restingHint() {
    if (line.complete) hint.textContent = format(STRINGS.capture.lineSet, { n: line.count });
    else hint.textContent = state.latlng ? STRINGS.capture.placeSet : STRINGS.capture.chooseHow;
  }

  function removePoint() {
    state.marker?.remove();
    state.circle?.remove();
    Object.assign(state, { marker: null, circle: null, latlng: null, accuracy: null });
    accuracyText.textContent = '';
  }

  /** Put the draggable pin at `latlng`; `accuracy` in metres draws the circle. */
  function set(latlng, accuracy = null) {
    if (line.count) line.clear();
    state.latlng = L.latLng(latlng);
    state.accuracy = accuracy;
    state.changed = true;
    if (!state.marker) {
      const icon = L.divIcon({ className: 'draft-marker', html: false, iconSize: [PIN_PX, PIN_PX], iconAnchor: [PIN_PX / 2, PIN_PX] });
      state.marker = L.marker(state.latlng, { icon, draggable: true, autoPan: true, keyboard: false, zIndexOffset: 1000 });
      state.marker.on('dragend', () => {
        set(state.marker.getLatLng(), null); // a moved pin no longer has the GPS accuracy
        hint.textContent = STRINGS.capture.placeMoved;
      });
      state.marker.addTo(map);
      state.marker.getElement()?.setAttribute('role', 'img'); // aria-label needs a role (axe: aria-prohibited-attr)
      state.marker.getElement()?.setAttribute('aria-label', STRINGS.marker.draft);
    } else {
      state.marker.setLatLng(state.latlng);
    }
    state.circle?.remove();
    state.circle = accuracy == null ? null
      : L.circle(state.latlng, { radius: accuracy, interactive: false, className: 'accuracy-circle' }).addTo(map);
    const poor = accuracy != null && accuracy > POOR_ACCURACY_M;
    accuracyText.classList.toggle('hint--warning', poor);
    accuracyText.textContent = accuracy == null ? ''
      : format(poor ? STRINGS.capture.accuracyPoor : STRINGS.capture.accuracy, { m: Math.round(accuracy) });
    restingHint();
    onChange();
  }

  function setTapMode(on) {
    if (state.tapping === on) return;
    if (on) stopDrawing();
    state.tapping = on;
    tapButton.setAttribute('aria-pressed', String(on));
    modeChanged(on ? STRINGS.capture.tapNow : null);
  }

  /** Shared by tapping and drawing: crosshair, keyboard shortcut, collapsed sheet, hint. */
  function modeChanged(activeHint) {
    const on = busy();
    container.classList.toggle('map--tapping', on);
    // Keyboard: Enter on the focused map places the pin (or a vertex) at the map centre.
    if (on) container.setAttribute('aria-keyshortcuts', 'Enter');
    else container.removeAttribute('aria-keyshortcuts');
    if (activeHint) hint.textContent = activeHint;
    else restingHint();
    onTapMode(on);
    relayout();
  }

  // ---- lines -------------------------------------------------------------

  function setDrawing(on) {
    if (!lineUi || line.drawing === on) return;
    if (on) {
      setTapMode(false);
      removePoint();
      line.start();
    } else if (!line.finish()) {
      line.clear(); // fewer than two points: no line
    }
    modeChanged(on ? STRINGS.capture.lineNow : null);
    onChange();
  }

  const stopDrawing = () => setDrawing(false);

  function lineChanged() {
    if (line.count) state.changed = true;
    if (!lineUi) return;
    lineUi.button.setAttribute('aria-pressed', String(line.drawing));
    lineUi.tools.hidden = !line.drawing;
    lineUi.undo.disabled = !line.count;
    lineUi.done.disabled = !line.canFinish;
    lineUi.count.textContent = line.drawing ? format(STRINGS.capture.linePoints, { n: line.count }) : '';
  }

  // ---- GPS ---------------------------------------------------------------

  function locate() {
    setTapMode(false);
    stopDrawing();
    if (!navigator.geolocation) {
      onError(STRINGS.errors.geoUnsupported);
      return;
    }
    const generation = state.generation;
    locateButton.disabled = true;
    locateButton.setAttribute('aria-busy', 'true');
    hint.textContent = STRINGS.capture.locating;
    const done = () => {
      locateButton.disabled = false;
      locateButton.removeAttribute('aria-busy');
      return generation === state.generation; // false: the sheet was closed meanwhile
    };
    navigator.geolocation.getCurrentPosition((position) => {
      if (!done()) return;
      const { latitude, longitude, accuracy } = position.coords;
      const latlng = L.latLng(latitude, longitude);
      set(latlng, Number.isFinite(accuracy) ? accuracy : null);
      // The accuracy circle in view; a good fix zooms in close (the map part above the sheet is small).
      map.fitBounds(latlng.toBounds(2 * (accuracy || MIN_VIEW_M)), { maxZoom: 18, padding: [24, 24] });
    }, (err) => {
      if (!done()) return;
      restingHint();
      onError(STRINGS.errors[GEO_ERRORS[err.code] ?? 'geoUnavailable']);
    }, GEO_OPTIONS);
  }

  // ---- whole picker ------------------------------------------------------

  /** Remove pin or line and forget the place (sheet closed or finding saved). */
  function reset() {
    state.generation += 1; // ignore late geolocation answers
    setTapMode(false);
    const wasDrawing = line.drawing;
    line.clear();
    removePoint();
    state.changed = false;
    if (wasDrawing) modeChanged(null);
    else restingHint();
  }

  function onMapTap(latlng) {
    if (state.tapping) {
      set(latlng, null);
      setTapMode(false);
    } else if (line.drawing) {
      line.add(latlng);
      onChange();
    }
  }

  locateButton.addEventListener('click', locate);
  tapButton.addEventListener('click', () => setTapMode(!state.tapping));
  lineUi?.button.addEventListener('click', () => setDrawing(!line.drawing));
  lineUi?.undo.addEventListener('click', () => {
    line.undo();
    onChange();
  });
  lineUi?.done.addEventListener('click', () => {
    setDrawing(false);
    lineUi.button.focus();
  });
  map.on('click', (event) => onMapTap(event.latlng));
  container.addEventListener('keydown', (event) => {
    if (busy() && event.key === 'Enter' && event.target === container) onMapTap(map.getCenter());
  });

  reset();
  return {
    /** The pin's position (points only). */
    get latlng() { return state.latlng; },
    get accuracy() { return state.accuracy; },
    /** Tapping for a pin or drawing a line: the sheet shows only the place part. */
    get tapping() { return busy(); },
    /** A place is chosen: a pin, or a finished line. */
    get ready() { return Boolean(state.latlng) || line.complete; },
    /** Whether the place was set or moved since `reset`/`load`. */
    get changed() { return state.changed; },
    /** A point to look up nearby findings at (the pin, or the middle of the line). */
    get anchor() { return state.latlng ?? (line.complete ? line.middle() : null); },
    /** The place as request fields: {lat, lon, accuracy_m?} or {geometry}. */
    fields() {
      if (line.complete) return { geometry: line.geometry() };
      if (!state.latlng) return {};
      const fields = { lat: round(state.latlng.lat), lon: round(state.latlng.lng) };
      if (state.accuracy != null) fields.accuracy_m = Math.round(state.accuracy * 10) / 10;
      return fields;
    },
    /** Pin at a given place, e.g. where a photo was taken; the view follows. */
    placeAt(latlng, message) {
      setTapMode(false);
      stopDrawing();
      set(latlng, null);
      if (message) hint.textContent = message;
      map.setView(state.latlng, Math.max(map.getZoom(), 17));
    },
    /** Show the place of an existing finding (editing); nothing counts as changed yet. */
    load(geometry) {
      reset();
      if (geometry?.type === 'Point') {
        const [lon, lat] = geometry.coordinates;
        set([lat, lon], null);
      } else if (geometry?.type === 'LineString') {
        line.load(geometry.coordinates);
        restingHint();
        onChange();
      }
      state.changed = false;
      relayout();
    },
    setTapMode,
    stopDrawing,
    relayout,
    reset,
  };
}
