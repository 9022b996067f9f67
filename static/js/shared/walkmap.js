// A walk on the map: its planned route as a line, the meeting point, the district outlines
// with the Ortsteil names, and the view fitted to the walk's bounds. The findings of the walk
// come from findings.js.

import { STRINGS } from './strings.js';
import { L } from './leaflet.js';

const ROUTE_STYLE = { color: '#00468a', weight: 5, opacity: 0.75, dashArray: '10 8', interactive: false, className: 'walk-route' };
// Thin outlines, so that placing a pin by tap is not blind without map tiles (offline). The
// names lie under the pins (a pane between the outlines and the markers) and catch no taps.
const LABEL_PANE = 'districtLabels';
const LABEL_PANE_Z = 450; // Leaflet: overlays 400, marker shadows 500, markers 600
// Zoomed out further (a results map spanning two Stadtbezirke), the names would cover each other.
const LABEL_MIN_ZOOM = 13;
// The meeting point's flag lies under every pin and count bubble (a pane below the markers), so
// that a finding reported at the meeting point can always be tapped; it stands on a stem, so that
// its head still shows above a pin or bubble on the very spot.
const MEETING_PANE = 'meetingPoint';
const MEETING_PANE_Z = 590;
const OUTLINE_STYLES = {
  stadtbezirk: { color: '#00468a', weight: 2, opacity: 0.55, fill: false, className: 'walk-outline' },
  ortsteil: { color: '#4a5866', weight: 1, opacity: 0.8, dashArray: '4 3', fill: false, className: 'walk-outline' },
};

/**
 * Options for createDistrictLayer (map.js) per level on a walk's map: thin lines, the Ortsteil
 * names as small labels in a pane under the pins, shown from LABEL_MIN_ZOOM on.
 */
export function walkOutlineOptions(map) {
  if (!map.getPane(LABEL_PANE)) {
    const pane = map.createPane(LABEL_PANE);
    pane.style.zIndex = String(LABEL_PANE_Z);
    pane.style.pointerEvents = 'none';
    const showLabels = () => { pane.style.display = map.getZoom() < LABEL_MIN_ZOOM ? 'none' : ''; };
    map.on('zoomend', showLabels);
    map.whenReady(showLabels);
  }
  return {
    stadtbezirk: { style: OUTLINE_STYLES.stadtbezirk },
    ortsteil: { style: OUTLINE_STYLES.ortsteil, labels: true, labelPane: LABEL_PANE, labelClass: 'district-label--walk' },
  };
}

/** [lat, lng] of a GeoJSON Point, or null. */
function pointLatLng(geometry) {
  const [lon, lat] = geometry?.type === 'Point' ? geometry.coordinates : [];
  return Number.isFinite(lat) && Number.isFinite(lon) ? L.latLng(lat, lon) : null;
}

function meetingIcon() {
  const icon = L.divIcon({ className: 'meeting-marker', html: false, iconSize: [44, 62], iconAnchor: [22, 60] });
  const create = icon.createIcon.bind(icon);
  icon.createIcon = (old) => {
    const div = create(old);
    const flag = document.createElement('span');
    flag.className = 'meeting-marker__flag';
    flag.textContent = '⚑';
    flag.setAttribute('aria-hidden', 'true');
    const stem = document.createElement('span');
    stem.className = 'meeting-marker__stem';
    stem.setAttribute('aria-hidden', 'true');
    div.replaceChildren(flag, stem);
    div.setAttribute('aria-label', STRINGS.walk.meetingPoint);
    return div;
  };
  return icon;
}

/** The pane of the meeting point's flag: above the route and the names, below the pins. */
function meetingPane(map) {
  if (!map.getPane(MEETING_PANE)) map.createPane(MEETING_PANE).style.zIndex = String(MEETING_PANE_Z);
  return MEETING_PANE;
}

/**
 * Draw the walk and fit the map to it.
 * @param {L.Map} map
 * @param {{route?: object, meeting_point?: object, bounds?: number[][], title?: string}} walk
 * @returns {{route: L.Layer|null, meeting: L.Layer|null, fit: () => void}}
 */
export function showWalk(map, walk) {
  const route = walk.route?.type === 'LineString' || walk.route?.type === 'MultiLineString'
    ? L.geoJSON(walk.route, { style: ROUTE_STYLE }).addTo(map)
    : null;

  const meetingAt = pointLatLng(walk.meeting_point);
  let meeting = null;
  if (meetingAt) {
    meeting = L.marker(meetingAt, { icon: meetingIcon(), keyboard: true, pane: meetingPane(map) })
      .bindTooltip(STRINGS.walk.meetingPoint, { direction: 'top', offset: [0, -60], className: 'meeting-label' })
      .addTo(map);
  }

  const fit = () => {
    const [south, west] = walk.bounds?.[0] ?? [];
    const [north, east] = walk.bounds?.[1] ?? [];
    if ([south, west, north, east].every(Number.isFinite)) {
      map.fitBounds([[south, west], [north, east]], { padding: [24, 24], maxZoom: 17, animate: false });
    } else if (route) {
      map.fitBounds(route.getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
    } else if (meetingAt) {
      map.setView(meetingAt, 16, { animate: false });
    }
  };
  fit();
  return { route, meeting, fit };
}
