// "+1 / Ich habe das auch gesehen": confirmations of someone else's finding, online only.
// The server counts one per participant; this device remembers which ones it gave so the
// button can show "bestätigt" and take the vote back.

import { request } from '../shared/api.js';

const STORAGE_KEY = 'mapapp.confirmed';

function remembered() {
  try {
    return new Set(JSON.parse(localStorage.getItem(STORAGE_KEY) || '[]'));
  } catch {
    return new Set();
  }
}

function remember(id, on) {
  const ids = remembered();
  if (on) ids.add(String(id));
  else ids.delete(String(id));
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify([...ids].slice(-500)));
  } catch {
    // storage full or blocked: the vote still counts on the server
  }
}

/** URL of a finding's confirmations, from the findings URL in the page config. */
export const confirmationsUrl = (findingsUrl, id) => `${findingsUrl.replace(/\/$/, '')}/${encodeURIComponent(id)}/confirmations`;

/** True when this device gave a +1 to finding `id` (or the server says so). */
export function isConfirmed(feature) {
  const p = feature?.properties ?? {};
  return p.confirmed ?? remembered().has(String(feature?.id ?? p.id));
}

/**
 * Give (`on`) or take back a +1.
 * @returns {Promise<number>} the finding's confirmation count afterwards
 * @throws {ApiError|NetworkError}
 */
export async function setConfirmed(findingsUrl, id, on) {
  const data = await request(confirmationsUrl(findingsUrl, id), { method: on ? 'POST' : 'DELETE', body: on ? {} : undefined });
  remember(id, on);
  return Number(data?.confirmations) || 0;
}
