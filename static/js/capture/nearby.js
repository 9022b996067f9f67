// Before a new finding is saved: is it one that someone else already pinned close by?
// GET /api/findings/nearby lists other participants' findings of the same category within
// 30 m; a "+1" there confirms that one instead of adding a duplicate pin (nearby-item.js).
// Online only: offline (or when the look-up fails) the finding is simply saved.

import { STRINGS, format } from '../shared/strings.js';
import { getJSON } from '../shared/api.js';
import { featureId } from '../shared/popup.js';
import { nearbyItem } from './nearby-item.js';

const RADIUS_M = 30;
const TIMEOUT_MS = 6000;

/**
 * @param {{panel: HTMLElement, heading: HTMLElement, list: HTMLElement, dismissButton: HTMLButtonElement,
 *          error: HTMLElement, config: object, announce: Function,
 *          onConfirmed: (feature: object, count: number) => void, onAsking: (on: boolean) => void}} ui
 */
export function createNearby(ui) {
  const findingsUrl = ui.config.api.findings;
  const n = {
    ui, findingsUrl,
    url: ui.config.api.nearby ?? `${findingsUrl.replace(/\/$/, '')}/nearby`,
    dismissed: new Set(), // finding ids answered with "Nein, neuer Fund" in this draft
    lookup: null, // {key, promise}
    asking: false,
  };
  n.setAsking = (on) => setAsking(n, on);
  ui.dismissButton.addEventListener('click', () => {
    ui.list.querySelectorAll('.nearby-item').forEach((li) => n.dismissed.add(li.dataset.findingId));
    setAsking(n, false);
  });
  return {
    get asking() { return n.asking; },
    /**
     * Look for similar findings at `anchor` (L.LatLng) of `category`. Resolves true when the
     * finding may be saved (none found, all already answered, offline), false while asking.
     */
    check: (anchor, category, walkId = null) => check(n, anchor, category, walkId),
    /** Forget the answers (a new draft). */
    reset() {
      n.dismissed.clear();
      n.lookup = null;
      delete ui.list.dataset.shown;
      setAsking(n, false);
    },
  };
}

function setAsking(n, on) {
  if (n.asking === on) return;
  n.asking = on;
  n.ui.panel.hidden = !on;
  n.ui.onAsking(on);
}

async function fetchNearby(n, anchor, category, walkId) {
  const params = { lat: anchor.lat.toFixed(7), lon: anchor.lng.toFixed(7), category, radius: RADIUS_M, walk: walkId ?? undefined };
  try {
    const data = await getJSON(n.url, { params, timeout: TIMEOUT_MS });
    return Array.isArray(data?.features) ? data.features : [];
  } catch (err) {
    console.warn('nearby look-up failed; saving without it', err);
    return [];
  }
}

async function check(n, anchor, category, walkId) {
  const { ui } = n;
  if (!anchor || !category || navigator.onLine === false) {
    setAsking(n, false);
    return true;
  }
  const key = `${anchor.lat.toFixed(5)},${anchor.lng.toFixed(5)},${category}`;
  if (n.lookup?.key !== key) n.lookup = { key, promise: fetchNearby(n, anchor, category, walkId) };
  const mine = n.lookup;
  const features = (await mine.promise).filter((f) => !n.dismissed.has(featureId(f)));
  if (n.lookup !== mine) return false; // place or category changed meanwhile: a newer check decides
  if (!features.length) {
    setAsking(n, false);
    return true;
  }
  const shown = `${key}|${features.map(featureId).join(',')}`;
  if (n.asking && shown === ui.list.dataset.shown) return false; // already on screen: keep focus where it is
  ui.list.dataset.shown = shown;
  ui.heading.textContent = format(STRINGS.nearby.question, { n: features.length });
  ui.list.replaceChildren(...features.map((feature) => nearbyItem(n, feature)));
  ui.error.hidden = true;
  setAsking(n, true); // the sheet shows the offer as a step and moves the focus to its heading
  return false;
}
