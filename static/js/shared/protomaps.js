// protomaps-leaflet (npm), the renderer of the self-hosted vector basemap (mapapp/basemap). Its
// browser build is a classic script that extends the global `L` and defines window.protomapsL;
// a page with a vector basemap names it in <script type="application/json" id="basemap-renderer">.
// It is loaded here, after leaflet.js set up `L`, and modules importing this one wait for it
// (top-level await), as they waited for a classic script before. Without it (not named, or not
// loadable offline) the map shows no base layer (basemap.js).

import './leaflet.js';

function loadScript(src) {
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = src;
    script.addEventListener('load', resolve, { once: true });
    script.addEventListener('error', () => {
      console.warn('basemap renderer not loaded', src);
      resolve();
    }, { once: true });
    document.head.append(script);
  });
}

const named = document.getElementById('basemap-renderer');
if (named && !window.protomapsL) await loadScript(JSON.parse(named.textContent));
