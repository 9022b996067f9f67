// The self-hosted basemap (mapapp/basemap): tiles the app serves itself from a PMTiles archive
// at /basemap/{z}/{x}/{y}.<type>. Vector tiles are drawn by protomaps-leaflet (npm, loaded by
// protomaps.js as window.protomapsL) in its plain light style, with no fonts or sprites fetched from
// anywhere; raster tiles by Leaflet. Tiles outside the archive's bounds or zooms are never asked for.
import { L } from './leaflet.js';
import './protomaps.js';

/** Labels in the page's language where the archive has them (`name:ar`), else the local name. */
const labelLanguage = () => (document.documentElement.lang || 'de').split('-')[0];

/**
 * The base layer for `basemap` (the page config's tiles.basemap), or null when the page lacks
 * the vector renderer.
 * @param {{url: string, tile_type: string, bounds: number[][], min_zoom: number, max_zoom: number,
 *   level_diff: number}} basemap
 * @param {{attribution: string, maxZoom: number}} options
 */
export function basemapLayer(basemap, { attribution, maxZoom }) {
  const bounds = L.latLngBounds(basemap.bounds);
  if (basemap.tile_type !== 'mvt') {
    return L.tileLayer(basemap.url, {
      attribution, bounds, maxZoom, minZoom: basemap.min_zoom, maxNativeZoom: basemap.max_zoom,
    });
  }
  if (!window.protomapsL) return null;
  return window.protomapsL.leafletLayer({
    url: basemap.url,
    flavor: 'light',
    lang: labelLanguage(),
    attribution,
    bounds,
    maxZoom,
    minZoom: basemap.min_zoom + basemap.level_diff,
    levelDiff: basemap.level_diff,
    maxDataZoom: basemap.max_zoom,
  });
}
