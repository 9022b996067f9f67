// Before a new finding is saved: is it one that someone else already pinned close by?
// GET /api/findings/nearby lists other participants' findings of the same category within
// 30 m; a "+1" there confirms that one instead of adding a duplicate pin. Online only:
// offline (or when the look-up fails) the finding is simply saved.

import { STRINGS, format } from './strings.js';
import { getJSON, ApiError } from './api.js';
import { el, featureId, featureLabel } from './popup.js';
import { setConfirmed } from './votes.js';

const RADIUS_M = 30;
const TIMEOUT_MS = 6000;

/**
 * @param {{panel: HTMLElement, heading: HTMLElement, list: HTMLElement, dismissButton: HTMLButtonElement,
 *          error: HTMLElement, config: object, announce: Function,
 *          onConfirmed: (feature: object, count: number) => void, onAsking: (on: boolean) => void}} ui
 */
export function createNearby(ui) {
  const findingsUrl = ui.config.api.findings;
  const url = ui.config.api.nearby ?? `${findingsUrl.replace(/\/$/, '')}/nearby`;
  const dismissed = new Set(); // finding ids answered with "Nein, neuer Fund" in this draft
  let lookup = null; // {key, promise}
  let asking = false;

  function setAsking(on) {
    if (asking === on) return;
    asking = on;
    ui.panel.hidden = !on;
    ui.onAsking(on);
  }

  function item(feature) {
    const p = feature.properties ?? {};
    const li = el('li', 'nearby-item');
    li.dataset.findingId = featureId(feature);
    const thumb = p.photos?.find((photo) => photo?.thumb_url);
    if (thumb) {
      const img = el('img', 'nearby-item__photo');
      img.src = thumb.thumb_url;
      img.alt = STRINGS.nearby.photoAlt;
      li.append(img);
    } else {
      const icon = el('span', 'nearby-item__icon', p.icon || '•');
      icon.setAttribute('aria-hidden', 'true');
      li.append(icon);
    }
    const text = el('div', 'nearby-item__text');
    text.id = `nearby-${li.dataset.findingId}`;
    const title = el('p', 'nearby-item__title');
    if (thumb && p.icon) {
      const icon = el('span', null, `${p.icon} `);
      icon.setAttribute('aria-hidden', 'true');
      title.append(icon);
    }
    title.append(el('strong', null, featureLabel(feature)), ' ',
      el('span', 'nearby-item__distance', format(STRINGS.nearby.distance, { m: Math.round(Number(p.distance_m) || 0) })));
    const description = (p.description ?? '').trim();
    text.append(title, el('p', 'nearby-item__description', description || STRINGS.popup.noDescription));
    const vote = el('button', 'btn btn--primary nearby-item__vote', STRINGS.nearby.confirm);
    vote.type = 'button';
    vote.setAttribute('aria-describedby', text.id);
    vote.addEventListener('click', () => confirm(feature, vote));
    li.append(text, vote);
    return li;
  }

  async function confirm(feature, button) {
    ui.error.hidden = true;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const count = await setConfirmed(findingsUrl, featureId(feature), true);
      setAsking(false);
      ui.onConfirmed(feature, count);
    } catch (err) {
      const message = err instanceof ApiError ? (err.body?.message || STRINGS.nearby.failed) : STRINGS.errors.network;
      ui.error.textContent = message;
      ui.error.hidden = false;
      ui.announce(message, 'error');
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  async function fetchNearby(anchor, category, walkId) {
    const params = { lat: anchor.lat.toFixed(7), lon: anchor.lng.toFixed(7), category, radius: RADIUS_M, walk: walkId ?? undefined };
    try {
      const data = await getJSON(url, { params, timeout: TIMEOUT_MS });
      return Array.isArray(data?.features) ? data.features : [];
    } catch (err) {
      console.warn('nearby look-up failed; saving without it', err);
      return [];
    }
  }

  ui.dismissButton.addEventListener('click', () => {
    ui.list.querySelectorAll('.nearby-item').forEach((li) => dismissed.add(li.dataset.findingId));
    setAsking(false);
  });

  return {
    get asking() { return asking; },
    /**
     * Look for similar findings at `anchor` (L.LatLng) of `category`. Resolves true when the
     * finding may be saved (none found, all already answered, offline), false while asking.
     */
    async check(anchor, category, walkId = null) {
      if (!anchor || !category || navigator.onLine === false) {
        setAsking(false);
        return true;
      }
      const key = `${anchor.lat.toFixed(5)},${anchor.lng.toFixed(5)},${category}`;
      if (lookup?.key !== key) lookup = { key, promise: fetchNearby(anchor, category, walkId) };
      const mine = lookup;
      const features = (await mine.promise).filter((f) => !dismissed.has(featureId(f)));
      if (lookup !== mine) return false; // place or category changed meanwhile: a newer check decides
      if (!features.length) {
        setAsking(false);
        return true;
      }
      const shown = `${key}|${features.map(featureId).join(',')}`;
      if (asking && shown === ui.list.dataset.shown) return false; // already on screen: keep focus where it is
      ui.list.dataset.shown = shown;
      ui.heading.textContent = format(STRINGS.nearby.question, { n: features.length });
      ui.list.replaceChildren(...features.map(item));
      ui.error.hidden = true;
      setAsking(true); // the sheet shows the offer as a step and moves the focus to its heading
      return false;
    },
    /** Forget the answers (a new draft). */
    reset() {
      dismissed.clear();
      lookup = null;
      delete ui.list.dataset.shown;
      setAsking(false);
    },
  };
}
