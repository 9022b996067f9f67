// Sending one outbox item (outbox.js) to the server: the request for its kind, with a
// timeout, and what the answer means for it (done, refused for good, retry later, no answer).

const API = '/api/findings';
const TIMEOUT_MS = { create: 30000, edit: 30000, delete: 30000, photo: 180000 };
const RETRY_STATUSES = new Set([408, 425, 429]);

function requestFor(item) {
  const url = `${API}/${encodeURIComponent(item.id)}`;
  const json = (method, target, body) => ({
    method, url: target, headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  switch (item.kind) {
    case 'create': return json('POST', API, item.body);
    case 'edit': return json('PATCH', url, item.body);
    case 'delete': return { method: 'DELETE', url, headers: { Accept: 'application/json' } };
    case 'photo': return {
      method: 'PUT', url: `${url}/photos/${item.sha256}`,
      headers: { Accept: 'application/json', 'Content-Type': item.type, 'X-Filename': encodeURIComponent(item.name || 'photo') },
      body: item.blob,
    };
    default: throw new Error(`unknown outbox item kind ${item.kind}`);
  }
}

/** Send one item. Outcome: {type: done|rejected|retry|offline, status?, body?, retryAfterMs?}. */
export async function send(item) {
  const { url, ...init } = requestFor(item);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS[item.kind]);
  try {
    const response = await fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store', signal: controller.signal });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    const { status } = response;
    if (response.ok || (item.kind === 'delete' && status === 404)) return { type: 'done', status, body };
    if (status >= 500 || RETRY_STATUSES.has(status)) {
      const retryAfter = Number(response.headers.get('Retry-After'));
      return { type: 'retry', status, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 0 };
    }
    return { type: 'rejected', status, body };
  } catch {
    // No answer (offline, timeout, connection lost). The server may have stored it: the
    // retry carries the same id/sha256, so it is answered with the stored record.
    return { type: 'offline' };
  } finally {
    clearTimeout(timer);
  }
}
