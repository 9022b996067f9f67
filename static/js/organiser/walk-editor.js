// The walk form's map: a click sets the meeting point or adds a route point, depending on
// the chosen mode. The meeting point lives in the lat/lon fields (typing works as well), the
// route as a GeoJSON LineString in the hidden field #route. Texts come from the template.
// Choosing an Ortsteil or Stadtbezirk zooms the map to it: each option carries its extent
// as data-bounds ([[south, west], [north, east]]).

import { createMap, createDistrictLayer } from '../shared/map.js';
import { L } from '../shared/leaflet.js';

const DECIMALS = 6;
const FIT_OPTIONS = { padding: [24, 24], maxZoom: 16 };
const ROUTE_STYLE = { color: '#b3400a', weight: 5, opacity: 0.9, interactive: false, className: 'walk-editor__route' };
const VERTEX_STYLE = { radius: 5, color: '#b3400a', weight: 2, fillColor: '#fff', fillOpacity: 1, interactive: false };
const MEETING_STYLE = { radius: 10, color: '#00468a', weight: 3, fillColor: '#ffbf1f', fillOpacity: 1, interactive: false };
const CHOSEN_STYLE = { color: '#00468a', weight: 5, opacity: 1, dashArray: null, fill: true, fillColor: '#00468a', fillOpacity: 0.1 };

const readJSON = (id) => JSON.parse(document.getElementById(id)?.textContent || 'null');
const round = (value) => Number(value.toFixed(DECIMALS));

/** Parse a coordinate typed with a decimal point or comma; NaN when it is not a number. */
function parseCoordinate(text) {
  const cleaned = String(text ?? '').trim().replace(',', '.');
  return cleaned === '' ? NaN : Number(cleaned);
}

/** Route points [[lat, lng], …] from the hidden field's GeoJSON (empty when absent or broken). */
function readRoute(input) {
  try {
    const geometry = JSON.parse(input.value || 'null');
    if (geometry?.type !== 'LineString' || !Array.isArray(geometry.coordinates)) return [];
    return geometry.coordinates.map(([lng, lat]) => [lat, lng]);
  } catch {
    return [];
  }
}

function createMeetingPoint(map, latInput, lngInput, strings) {
  const marker = L.circleMarker([0, 0], { ...MEETING_STYLE, className: 'walk-editor__meeting' });
  marker.bindTooltip(strings.meetingPoint ?? '', { direction: 'top', offset: [0, -10] });

  const fromInputs = () => {
    const lat = parseCoordinate(latInput.value);
    const lng = parseCoordinate(lngInput.value);
    const valid = Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
    if (valid) marker.setLatLng([lat, lng]).addTo(map);
    else marker.remove();
    return valid ? L.latLng(lat, lng) : null;
  };

  latInput.addEventListener('input', fromInputs);
  lngInput.addEventListener('input', fromInputs);

  return {
    current: fromInputs,
    set(latlng) {
      latInput.value = round(latlng.lat).toFixed(DECIMALS);
      lngInput.value = round(latlng.lng).toFixed(DECIMALS);
      fromInputs();
      document.body.dataset.meetingSet = '1';
    },
  };
}

function createRoute(map, input, status, strings) {
  const points = readRoute(input);
  const line = L.polyline([], ROUTE_STYLE).addTo(map);
  const vertices = L.layerGroup().addTo(map);

  const render = () => {
    line.setLatLngs(points);
    vertices.clearLayers();
    points.forEach((point) => L.circleMarker(point, VERTEX_STYLE).addTo(vertices));
    input.value = points.length
      ? JSON.stringify({ type: 'LineString', coordinates: points.map(([lat, lng]) => [round(lng), round(lat)]) })
      : '';
    if (points.length === 0) status.textContent = strings.routeEmpty ?? '';
    else if (points.length === 1) status.textContent = strings.routeOne ?? '';
    else status.textContent = (strings.routePoints ?? '{n}').replace('{n}', String(points.length));
    document.body.dataset.routePoints = String(points.length);
  };

  render();
  return {
    points,
    add(latlng) {
      points.push([latlng.lat, latlng.lng]);
      render();
    },
    undo() {
      points.pop();
      render();
    },
    clear() {
      points.length = 0;
      render();
    },
  };
}

/** The extent of the chosen district option as L.LatLngBounds, or null (automatic, or none). */
function districtBounds(select) {
  try {
    const bounds = JSON.parse(select.selectedOptions[0]?.dataset.bounds || 'null');
    return Array.isArray(bounds) ? L.latLngBounds(bounds) : null;
  } catch {
    return null;
  }
}

/** Outline the chosen district ("ortsteil:402") boldly, the others as usual, once the layers have loaded. */
function highlightDistrict(layers, value) {
  const [level, code] = value.split(':');
  Object.entries(layers).forEach(([name, layer]) => {
    layer.load().then(() => layer.eachLayer((outline) => {
      layer.resetStyle(outline);
      if (name === level && outline.feature?.properties?.code === code) outline.setStyle(CHOSEN_STYLE);
    })).catch(() => {}); // the layer reports its own loading errors
  });
}

/** Mirror the map's view on its element (data-zoom, data-bounds "south,west,north,east"). */
function recordView(map) {
  const bounds = map.getBounds();
  const element = map.getContainer();
  element.dataset.zoom = String(map.getZoom());
  element.dataset.bounds = [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()].join(',');
}

function init() {
  const config = readJSON('walk-editor-config');
  const strings = readJSON('walk-editor-strings') ?? {};
  const form = document.querySelector('.walk-form');
  const { map } = createMap(document.getElementById('walk-editor-map'), config);
  map.on('moveend', () => recordView(map));
  recordView(map);
  const districtLayers = config.districts ? {
    ortsteil: createDistrictLayer(config.districts, 'ortsteil').addTo(map),
    stadtbezirk: createDistrictLayer(config.districts, 'stadtbezirk', { labels: true }).addTo(map),
  } : {};

  const meeting = createMeetingPoint(map, form.elements.meeting_lat, form.elements.meeting_lon, strings);
  const route = createRoute(map, form.elements.route, document.getElementById('route-status'), strings);

  const district = form.elements.district;
  const known = [...route.points];
  const start = meeting.current();
  if (start) known.push([start.lat, start.lng]);
  const view = districtBounds(district) ?? L.latLngBounds([]);
  known.forEach((point) => view.extend(point));
  if (view.isValid()) map.fitBounds(view, { ...FIT_OPTIONS, animate: false });
  highlightDistrict(districtLayers, district.value);
  district.addEventListener('change', () => {
    const bounds = districtBounds(district);
    if (bounds) map.fitBounds(bounds, FIT_OPTIONS);
    highlightDistrict(districtLayers, district.value);
  });

  map.on('click', (event) => {
    const mode = form.querySelector('input[name=editor_mode]:checked')?.value;
    if (mode === 'route') route.add(event.latlng);
    else meeting.set(event.latlng);
  });
  document.getElementById('route-undo').addEventListener('click', () => route.undo());
  document.getElementById('route-clear').addEventListener('click', () => route.clear());
  document.body.dataset.ready = '1';
}

try {
  init();
} catch (err) {
  console.error(err);
  document.body.dataset.ready = 'error';
}
