// Small fetch wrapper for the JSON API with typed errors.

const DEFAULT_TIMEOUT_MS = 20000;
const defaultHeaders = { Accept: 'application/json' };

/** The server answered with a non-2xx status (or with something that is not JSON). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error ?? null;
    this.fields = body?.fields && typeof body.fields === 'object' ? body.fields : {};
    this.body = body;
  }
}

/** The request never got an answer: offline, DNS, connection reset, timeout. */
export class NetworkError extends Error {
  constructor(cause) {
    super('Network request failed', { cause });
    this.name = 'NetworkError';
  }
}

/** True for a request that was cancelled on purpose through its AbortSignal. */
export const isAbort = (err) => err?.name === 'AbortError';

/** Extra headers sent with every request (e.g. a CSRF token from the page config). */
export function setDefaultHeaders(headers) {
  Object.assign(defaultHeaders, headers);
}

/**
 * Send a request and return the parsed JSON body.
 * @param {string} url  path from the page config, e.g. "/api/findings"
 * @param {{method?: string, params?: object, body?: any, signal?: AbortSignal, timeout?: number}} options
 * @throws {ApiError|NetworkError|DOMException} DOMException "AbortError" when `signal` aborted
 */
export async function request(url, { method = 'GET', params, body, signal, timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const target = new URL(url, document.baseURI);
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null) target.searchParams.set(key, value);
  }

  const headers = { ...defaultHeaders };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  // Own controller: follows the caller's signal and adds a timeout.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException('Request timed out', 'TimeoutError')), timeout);
  init.signal = controller.signal;

  try {
    const response = await fetch(target, init);
    const data = await readJson(response);
    if (!response.ok || data === undefined) throw new ApiError(response.status, data);
    return data;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (signal?.aborted) throw new DOMException('Request aborted', 'AbortError');
    throw new NetworkError(err);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Parsed JSON body, or undefined when the body is not JSON. Network errors while reading propagate. */
async function readJson(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const getJSON = (url, options = {}) => request(url, { ...options, method: 'GET' });

export const postJSON = (url, body, options = {}) => request(url, { ...options, method: 'POST', body });
