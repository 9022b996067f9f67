// Leaflet as an ES module: every script takes `L` from here, not from a global. The plugins
// (Leaflet.markercluster, protomaps-leaflet) ship as classic/UMD builds that extend a global
// `L` as they run, and a module namespace cannot be extended: so `L` is a plain copy of
// Leaflet's exports, set as `window.L` before any plugin runs (markercluster.js and
// protomaps.js import this module first). The path is relative to this file, so it also
// holds under a URL prefix; like our own modules, vendor modules carry no ?v= (mapapp/assets).

import * as Leaflet from '../../../vendor/leaflet/leaflet-src.esm.js';

export const L = { ...Leaflet };
window.L = L;
