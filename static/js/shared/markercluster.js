// Leaflet.markercluster (npm): its UMD build adds L.markerClusterGroup to the global `L` that
// leaflet.js sets up, so that module is imported (and run) first. Import this module for its
// effect, and `L` from leaflet.js.

import './leaflet.js';
import '../../../vendor/markercluster/leaflet.markercluster.js';
