// Choosing where a finding is: own location (GPS, with its accuracy circle), a tap on the
// map, the place a photo was taken (see exif.js), each shown as a draggable pin; or a
// stretch drawn vertex by vertex ("Strecke", see line.js). The pin and the GPS are in
// place-pin.js; the functions here take the picker's state `p` (see createPlacePicker).

import { STRINGS, format } from '../shared/strings.js';
import { createLineDrawer } from './line.js';
import { locate, relayout, removePoint, restingHint, set } from './place-pin.js';

const round = (value) => Math.round(value * 1e7) / 1e7;

/**
 * @param {L.Map} map
 * @param {{locateButton: HTMLButtonElement, tapButton: HTMLButtonElement, accuracyText: HTMLElement,
 *          hint: HTMLElement, onChange: Function, onError: (message: string) => void,
 *          onTapMode: (on: boolean) => void,
 *          line?: {button: HTMLButtonElement, tools: HTMLElement, undo: HTMLButtonElement,
 *                  done: HTMLButtonElement, count: HTMLElement}}} options
 *   `line` is optional: without it only points can be placed (the page `/`).
 */
export function createPlacePicker(map, { line: lineUi, ...options }) {
  const p = {
    map, container: map.getContainer(), lineUi, ...options,
    state: { latlng: null, accuracy: null, tapping: false, marker: null, circle: null, generation: 0, changed: false },
  };
  p.line = createLineDrawer(map, { onChange: () => lineChanged(p) });
  p.busy = () => p.state.tapping || p.line.drawing;
  p.setTapMode = (on) => setTapMode(p, on);
  p.stopDrawing = () => setDrawing(p, false);
  listen(p);
  reset(p);
  return pickerApi(p);
}

function setTapMode(p, on) {
  if (p.state.tapping === on) return;
  if (on) p.stopDrawing();
  p.state.tapping = on;
  p.tapButton.setAttribute('aria-pressed', String(on));
  modeChanged(p, on ? STRINGS.capture.tapNow : null);
}

/** Shared by tapping and drawing: crosshair, keyboard shortcut, collapsed sheet, hint. */
function modeChanged(p, activeHint) {
  const on = p.busy();
  p.container.classList.toggle('map--tapping', on);
  // Keyboard: Enter on the focused map places the pin (or a vertex) at the map centre.
  if (on) p.container.setAttribute('aria-keyshortcuts', 'Enter');
  else p.container.removeAttribute('aria-keyshortcuts');
  if (activeHint) p.hint.textContent = activeHint;
  else restingHint(p);
  p.onTapMode(on);
  relayout(p);
}

function setDrawing(p, on) {
  const { line } = p;
  if (!p.lineUi || line.drawing === on) return;
  if (on) {
    setTapMode(p, false);
    removePoint(p);
    line.start();
  } else if (!line.finish()) {
    line.clear(); // fewer than two points: no line
  }
  modeChanged(p, on ? STRINGS.capture.lineNow : null);
  p.onChange();
}

function lineChanged(p) {
  const { line, lineUi } = p;
  if (line.count) p.state.changed = true;
  if (!lineUi) return;
  lineUi.button.setAttribute('aria-pressed', String(line.drawing));
  lineUi.tools.hidden = !line.drawing;
  lineUi.undo.disabled = !line.count;
  lineUi.done.disabled = !line.canFinish;
  lineUi.count.textContent = line.drawing ? format(STRINGS.capture.linePoints, { n: line.count }) : '';
}

/** Remove pin or line and forget the place (sheet closed or finding saved). */
function reset(p) {
  p.state.generation += 1; // ignore late geolocation answers
  setTapMode(p, false);
  const wasDrawing = p.line.drawing;
  p.line.clear();
  removePoint(p);
  p.state.changed = false;
  if (wasDrawing) modeChanged(p, null);
  else restingHint(p);
}

function onMapTap(p, latlng) {
  if (p.state.tapping) {
    set(p, latlng, null);
    setTapMode(p, false);
  } else if (p.line.drawing) {
    p.line.add(latlng);
    p.onChange();
  }
}

function listen(p) {
  const { map, container, line, lineUi } = p;
  p.locateButton.addEventListener('click', () => locate(p));
  p.tapButton.addEventListener('click', () => setTapMode(p, !p.state.tapping));
  lineUi?.button.addEventListener('click', () => setDrawing(p, !line.drawing));
  lineUi?.undo.addEventListener('click', () => {
    line.undo();
    p.onChange();
  });
  lineUi?.done.addEventListener('click', () => {
    setDrawing(p, false);
    lineUi.button.focus();
  });
  map.on('click', (event) => onMapTap(p, event.latlng));
  container.addEventListener('keydown', (event) => {
    if (p.busy() && event.key === 'Enter' && event.target === container) onMapTap(p, map.getCenter());
  });
}

/** The place as request fields: {lat, lon, accuracy_m?} or {geometry}. */
function fields({ line, state }) {
  if (line.complete) return { geometry: line.geometry() };
  if (!state.latlng) return {};
  const result = { lat: round(state.latlng.lat), lon: round(state.latlng.lng) };
  if (state.accuracy != null) result.accuracy_m = Math.round(state.accuracy * 10) / 10;
  return result;
}

/** Show the place of an existing finding (editing); nothing counts as changed yet. */
function load(p, geometry) {
  reset(p);
  if (geometry?.type === 'Point') {
    const [lon, lat] = geometry.coordinates;
    set(p, [lat, lon], null);
  } else if (geometry?.type === 'LineString') {
    p.line.load(geometry.coordinates);
    restingHint(p);
    p.onChange();
  }
  p.state.changed = false;
  relayout(p);
}

function pickerApi(p) {
  const { state, line, map } = p;
  return {
    /** The pin's position (points only). */
    get latlng() { return state.latlng; },
    get accuracy() { return state.accuracy; },
    /** Tapping for a pin or drawing a line: the sheet shows only the place part. */
    get tapping() { return p.busy(); },
    /** A place is chosen: a pin, or a finished line. */
    get ready() { return Boolean(state.latlng) || line.complete; },
    /** Whether the place was set or moved since `reset`/`load`. */
    get changed() { return state.changed; },
    /** A point to look up nearby findings at (the pin, or the middle of the line). */
    get anchor() { return state.latlng ?? (line.complete ? line.middle() : null); },
    fields: () => fields(p),
    /** Pin at a given place, e.g. where a photo was taken; the view follows. */
    placeAt(latlng, message) {
      setTapMode(p, false);
      p.stopDrawing();
      set(p, latlng, null);
      if (message) p.hint.textContent = message;
      map.setView(state.latlng, Math.max(map.getZoom(), 17));
    },
    load: (geometry) => load(p, geometry),
    setTapMode: p.setTapMode,
    stopDrawing: p.stopDrawing,
    relayout: () => relayout(p),
    reset: () => reset(p),
  };
}
