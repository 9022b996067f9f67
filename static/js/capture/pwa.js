// Installable app: registers the service worker (app shell offline, see ../worker/) and starts the
// status line of the outbox (sync-status.js), which also sends what is still queued.
// Tells the worker the page's language (for its offline page).
// Once the page would open offline, <html> gets data-offline="ready".

import './sync-status.js';

const STORE_TIMEOUT_MS = 15000;

const isApi = (href) => {
  const url = new URL(href);
  return url.origin === location.origin && url.pathname.startsWith('/api/');
};

/** API answers and images (map tiles among them: the worker picks what it keeps). */
const worthStoring = (entry) => isApi(entry.name) || entry.initiatorType === 'img';

/** Ask the worker to fetch and keep copies of `urls`; resolves when it is done (or gave up). */
function askToStore(worker, urls) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    worker.postMessage({ type: 'store', urls }, [channel.port2]);
    setTimeout(resolve, STORE_TIMEOUT_MS);
  });
}

/**
 * This page loaded before the worker controlled it, so its requests went past the worker.
 * Hand the worker the page's URL and every API answer it loads (also those finishing later).
 */
function storeWhatWentPast(worker) {
  const first = [location.href, ...performance.getEntriesByType('resource').filter(worthStoring).map((e) => e.name)];
  new PerformanceObserver((list) => {
    const urls = list.getEntries().filter(worthStoring).map((entry) => entry.name);
    if (urls.length) askToStore(worker, urls);
  }).observe({ type: 'resource' });
  return askToStore(worker, [...new Set(first)]);
}

/** Resolves once the worker controls this page (it claims pages that loaded while it installed). */
function controlled(worker) {
  if (navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((resolve) => {
    navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true });
    worker.postMessage({ type: 'claim' });
  });
}

/**
 * True when this page loaded past the worker: none controlled it yet, or one claimed it only
 * while it loaded (its first requests then went past the worker, unstored).
 */
function loadedPastTheWorker() {
  const [navigation] = performance.getEntriesByType('navigation');
  return !navigator.serviceWorker.controller || !(navigation?.workerStart > 0);
}

async function register() {
  const wentPast = loadedPastTheWorker();
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const { active } = await navigator.serviceWorker.ready;
  await controlled(active);
  active.postMessage({ type: 'language', lang: document.documentElement.lang });
  if (wentPast) await storeWhatWentPast(active);
  document.documentElement.dataset.offline = 'ready';
}

function start() {
  register().catch((err) => console.warn('mapapp: offline use is not available', err));
}

if ('serviceWorker' in navigator) {
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
