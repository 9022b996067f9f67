// Choosing the place of a new finding: own location (GPS) or a tap on the map,
// shown as a draggable pin (plus the accuracy circle for GPS positions).

import { STRINGS, format } from './strings.js';

const L = window.L;
const GEO_OPTIONS = { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 };
const GEO_ERRORS = { 1: 'geoDenied', 2: 'geoUnavailable', 3: 'geoTimeout' };

/**
 * @param {L.Map} map
 * @param {{locateButton: HTMLButtonElement, tapButton: HTMLButtonElement, accuracyText: HTMLElement,
 *          hint: HTMLElement, onChange: Function, onError: (message: string) => void,
 *          onTapMode: (on: boolean) => void}} options
 */
export function createPlacePicker(map, { locateButton, tapButton, accuracyText, hint, onChange, onError, onTapMode }) {
  const state = { latlng: null, accuracy: null, tapping: false, marker: null, circle: null, generation: 0 };
  const container = map.getContainer();

  /** After the layout changed (sheet opened/closed/collapsed): resize the map, keep the pin in view. */
  function relayout() {
    map.invalidateSize({ pan: false });
    if (state.latlng && !map.getBounds().pad(-0.1).contains(state.latlng)) map.panTo(state.latlng);
  }

  function restingHint() {
    hint.textContent = state.latlng ? STRINGS.capture.placeSet : STRINGS.capture.chooseHow;
  }

  function set(latlng, accuracy = null) {
    state.latlng = L.latLng(latlng);
    state.accuracy = accuracy;
    if (!state.marker) {
      const icon = L.divIcon({ className: 'draft-marker', html: false, iconSize: [44, 44], iconAnchor: [22, 44] });
      state.marker = L.marker(state.latlng, { icon, draggable: true, autoPan: true, keyboard: false, zIndexOffset: 1000 });
      state.marker.on('dragend', () => {
        set(state.marker.getLatLng(), null); // a moved pin no longer has the GPS accuracy
        hint.textContent = STRINGS.capture.placeMoved;
      });
      state.marker.addTo(map);
      state.marker.getElement()?.setAttribute('aria-label', STRINGS.marker.draft);
    } else {
      state.marker.setLatLng(state.latlng);
    }
    state.circle?.remove();
    state.circle = accuracy == null ? null
      : L.circle(state.latlng, { radius: accuracy, interactive: false, className: 'accuracy-circle' }).addTo(map);
    accuracyText.textContent = accuracy == null ? '' : format(STRINGS.capture.accuracy, { m: Math.round(accuracy) });
    restingHint();
    onChange();
  }

  function setTapMode(on) {
    if (state.tapping === on) return;
    state.tapping = on;
    tapButton.setAttribute('aria-pressed', String(on));
    container.classList.toggle('map--tapping', on);
    // Keyboard: Enter on the focused map places the pin at the map centre.
    if (on) container.setAttribute('aria-keyshortcuts', 'Enter');
    else container.removeAttribute('aria-keyshortcuts');
    if (on) hint.textContent = STRINGS.capture.tapNow;
    else restingHint();
    onTapMode(on);
    relayout();
  }

  function placeByTap(latlng) {
    set(latlng, null);
    setTapMode(false);
  }

  function locate() {
    setTapMode(false);
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
      map.fitBounds(latlng.toBounds(Math.max(2 * (accuracy || 0), 100)), { maxZoom: 18, padding: [24, 24] });
    }, (err) => {
      if (!done()) return;
      restingHint();
      onError(STRINGS.errors[GEO_ERRORS[err.code] ?? 'geoUnavailable']);
    }, GEO_OPTIONS);
  }

  /** Remove the pin and forget the place (sheet closed or finding saved). */
  function reset() {
    state.generation += 1; // ignore late geolocation answers
    setTapMode(false);
    state.marker?.remove();
    state.circle?.remove();
    Object.assign(state, { marker: null, circle: null, latlng: null, accuracy: null });
    accuracyText.textContent = '';
    restingHint();
  }

  locateButton.addEventListener('click', locate);
  tapButton.addEventListener('click', () => setTapMode(!state.tapping));
  map.on('click', (event) => {
    if (state.tapping) placeByTap(event.latlng);
  });
  container.addEventListener('keydown', (event) => {
    if (state.tapping && event.key === 'Enter' && event.target === container) placeByTap(map.getCenter());
  });

  reset();
  return {
    get latlng() { return state.latlng; },
    get accuracy() { return state.accuracy; },
    get tapping() { return state.tapping; },
    setTapMode,
    relayout,
    reset,
  };
}
