// One finding in the "+1" offer (nearby.js): photo or icon, category, distance and text, and a
// "+1" button that confirms it instead of saving a duplicate. `n` is the offer's state.

import { STRINGS, format } from '../shared/strings.js';
import { ApiError } from '../shared/api.js';
import { el, featureId, featureLabel } from '../shared/popup.js';
import { setConfirmed } from './votes.js';

/** The finding's photo, else its category icon. */
function pictureOf(p, thumb) {
  if (thumb) {
    const img = el('img', 'nearby-item__photo');
    img.src = thumb.thumb_url;
    img.alt = STRINGS.nearby.photoAlt;
    return img;
  }
  const icon = el('span', 'nearby-item__icon', p.icon || '•');
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** Category (with its icon beside a photo), distance and description. */
function textOf(feature, p, thumb, id) {
  const text = el('div', 'nearby-item__text');
  text.id = `nearby-${id}`;
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
  return text;
}

export function nearbyItem(n, feature) {
  const p = feature.properties ?? {};
  const li = el('li', 'nearby-item');
  li.dataset.findingId = featureId(feature);
  const thumb = p.photos?.find((photo) => photo?.thumb_url);
  li.append(pictureOf(p, thumb));
  const text = textOf(feature, p, thumb, li.dataset.findingId);
  const vote = el('button', 'btn btn--primary nearby-item__vote', STRINGS.nearby.confirm);
  vote.type = 'button';
  vote.setAttribute('aria-describedby', text.id);
  vote.addEventListener('click', () => confirm(n, feature, vote));
  li.append(text, vote);
  return li;
}

async function confirm(n, feature, button) {
  const { ui } = n;
  ui.error.hidden = true;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const count = await setConfirmed(n.findingsUrl, featureId(feature), true);
    n.setAsking(false);
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
