// "Strecke": a finding along a stretch (a broken cycle path, a noisy road). Each tap on the
// map adds a vertex; the line is drawn as it grows and stored as a GeoJSON LineString.

import { L } from '../shared/leaflet.js';

const DRAWING_STYLE = { color: '#b3141d', weight: 5, opacity: 0.9, dashArray: '8 8', interactive: false, className: 'draft-line' };
const DONE_STYLE = { ...DRAWING_STYLE, dashArray: null };

/** Draw `vertices` as the line and its dots (the last one bigger while drawing); none: remove them. */
function drawShapes(map, shapes, vertices, drawing) {
  if (!vertices.length) {
    shapes.line?.remove();
    shapes.dots?.remove();
    shapes.line = null;
    shapes.dots = null;
    return;
  }
  shapes.line ??= L.polyline([], DRAWING_STYLE).addTo(map);
  shapes.dots ??= L.layerGroup().addTo(map);
  shapes.line.setLatLngs(vertices);
  shapes.line.setStyle(drawing ? DRAWING_STYLE : DONE_STYLE);
  shapes.dots.clearLayers();
  vertices.forEach((latlng, index) => shapes.dots.addLayer(L.circleMarker(latlng, {
    radius: index === vertices.length - 1 && drawing ? 8 : 6,
    color: '#fff', weight: 2, fillColor: '#b3141d', fillOpacity: 1, interactive: false, className: 'draft-vertex',
  })));
}

/**
 * @param {L.Map} map
 * @param {{onChange: (drawer) => void}} options called after every change of the vertices
 */
export function createLineDrawer(map, { onChange }) {
  let vertices = [];
  const distinct = () => new Set(vertices.map((v) => `${round(v.lat)},${round(v.lng)}`)).size;
  const shapes = { line: null, dots: null };
  let drawing = false;

  function redraw() {
    drawShapes(map, shapes, vertices, drawing);
    onChange(api);
  }

  const api = {
    get drawing() { return drawing; },
    get count() { return vertices.length; },
    /** A finished line has at least two different vertices. */
    get complete() { return !drawing && distinct() >= 2; },
    get canFinish() { return distinct() >= 2; },
    /** Start (or resume) adding vertices. */
    start() {
      drawing = true;
      redraw();
    },
    add(latlng) {
      if (!drawing) return;
      vertices.push(L.latLng(latlng));
      redraw();
    },
    undo() {
      vertices.pop();
      redraw();
    },
    finish() {
      if (distinct() < 2) return false;
      drawing = false;
      redraw();
      return true;
    },
    /** Show an existing line (editing a finding), not in drawing mode. */
    load(coordinates) {
      vertices = coordinates.map(([lon, lat]) => L.latLng(lat, lon));
      drawing = false;
      redraw();
    },
    clear() {
      api.load([]);
    },
    /** GeoJSON LineString (lon, lat; 7 decimals ≈ 1 cm). */
    geometry() {
      return { type: 'LineString', coordinates: vertices.map((v) => [round(v.lng), round(v.lat)]) };
    },
    /** A point on the stretch for "nearby" look-ups: the middle vertex. */
    middle() {
      return vertices.length ? vertices[Math.floor((vertices.length - 1) / 2)] : null;
    },
    bounds: () => (vertices.length ? L.latLngBounds(vertices) : null),
  };

  return api;
}

const round = (value) => Math.round(value * 1e7) / 1e7;
