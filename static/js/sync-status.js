// Status line (#sync-status): how many findings wait for a connection, when the phone last
// sent one, and whether it is offline. Polite live region; the outbox reports the numbers.

import { STRINGS, format } from './strings.js';
import { outbox, status } from './outbox.js';

function clock(date) {
  const today = new Date().toDateString() === date.toDateString();
  const options = today ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'numeric', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(STRINGS.locale, { ...options, timeZone: STRINGS.timeZone }).format(date);
}

/** The line's text for a queue state; '' while nothing was ever queued. */
export function statusText({ pending, lastSentAt }, online) {
  const texts = STRINGS.sync;
  const parts = [];
  const waiting = pending === 1 ? texts.waitingOne : format(texts.waitingMany, { n: pending });
  if (!online) {
    parts.push(texts.offline);
    if (pending > 0) parts.push(waiting);
  } else if (pending > 0) {
    parts.push(waiting);
    if (lastSentAt) parts.push(format(texts.lastSent, { time: clock(lastSentAt) }));
  } else if (lastSentAt) {
    parts.push(format(texts.allSent, { time: clock(lastSentAt) }));
  }
  return parts.join(' · ');
}

const REJECTED = { create: 'rejectedFinding', photo: 'rejectedPhoto', edit: 'rejectedEdit', delete: 'rejectedDelete' };

function start(line) {
  let state = { pending: 0, lastSentAt: null };
  let note = ''; // the last refusal, until something is sent again

  const render = () => {
    const online = navigator.onLine !== false;
    const text = [statusText(state, online), note].filter(Boolean).join(' · ');
    if (line.textContent !== text) line.textContent = text;
    line.dataset.state = !online ? 'offline' : state.pending > 0 ? 'waiting' : 'sent';
    line.dataset.pending = String(state.pending);
  };

  outbox.addEventListener('change', (event) => {
    state = event.detail;
    render();
  });
  outbox.addEventListener('sent', () => {
    note = '';
  });
  outbox.addEventListener('rejected', (event) => {
    note = STRINGS.sync[REJECTED[event.detail.kind] ?? 'rejectedFinding'];
    render();
  });
  window.addEventListener('online', render);
  window.addEventListener('offline', render);
  status().then((now) => {
    state = now;
    render();
  }, () => render());
}

const line = document.getElementById('sync-status');
if (line) start(line);
