// Status line (#sync-status): how many findings wait for a connection, when the phone last
// sent one, and whether it is offline. Polite live region; the outbox reports the numbers.
// Photos the server refused stay in the outbox: the line counts them, and a panel
// (#outbox-problems) lists each with the reason and "send again" / "discard".

import { STRINGS, format } from '../shared/strings.js';
import {
  discardPhoto, outbox, refusedPhotos, resendPhoto, status,
} from './outbox.js';
import { formatWithZone } from '../shared/times.js';

/** Duisburg time with the zone named (MEZ/MESZ in German), the day too when it was not today. */
function clock(date) {
  const today = new Date().toDateString() === date.toDateString();
  const options = today ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'numeric', hour: '2-digit', minute: '2-digit' };
  return formatWithZone(options, date);
}

/** The line's text for a queue state; '' while nothing was ever queued. */
export function statusText({ pending, refused = 0, lastSentAt }, online) {
  const texts = STRINGS.sync;
  const parts = [];
  const waiting = pending === 1 ? texts.waitingOne : format(texts.waitingMany, { n: pending });
  if (!online) parts.push(texts.offline);
  if (refused > 0) parts.push(refused === 1 ? texts.refusedPhotoOne : format(texts.refusedPhotoMany, { n: refused }));
  if (pending > 0) parts.push(waiting);
  if (online && lastSentAt) {
    // "All sent" only when nothing waits and nothing was refused.
    const sent = pending > 0 || refused > 0 ? texts.lastSent : texts.allSent;
    parts.push(format(sent, { time: clock(lastSentAt) }));
  }
  return parts.join(' · ');
}

/** Why the server refused a photo ({status}), in the page's language. */
export function photoRefusal({ status }) {
  const texts = STRINGS.photos;
  if (status === 413) return texts.tooLarge;
  if (status === 415) return texts.unsupported;
  if (status === 422) return texts.unreadable;
  return format(texts.refused, { status });
}

const REJECTED = { create: 'rejectedFinding', edit: 'rejectedEdit', delete: 'rejectedDelete' };

function button(text, describedBy, onClick) {
  const node = document.createElement('button');
  node.type = 'button';
  node.className = 'btn btn--secondary';
  node.textContent = text;
  node.setAttribute('aria-describedby', describedBy);
  node.addEventListener('click', onClick);
  return node;
}

/** The (empty, hidden) panel of refused photos, put after the status line. */
function problemsPanel(line) {
  const panel = document.createElement('section');
  panel.id = 'outbox-problems';
  panel.className = 'outbox-problems';
  panel.hidden = true;
  panel.setAttribute('aria-labelledby', 'outbox-problems-title');
  const title = document.createElement('h2');
  title.id = 'outbox-problems-title';
  title.className = 'outbox-problems__title';
  title.textContent = STRINGS.photos.refusedTitle;
  title.tabIndex = -1; // focus lands here after a discard
  const hint = document.createElement('p');
  hint.className = 'outbox-problems__hint';
  hint.textContent = STRINGS.photos.kept;
  const list = document.createElement('ul');
  list.className = 'outbox-problems__list';
  panel.append(title, hint, list);
  line.after(panel);
  return { panel, title, list };
}

/** The panel of refused photos, after the status line; hidden while there are none. */
function createProblems(line) {
  const { panel, title, list } = problemsPanel(line);
  let urls = [];

  async function act(work) {
    try {
      await work();
    } catch (err) {
      console.warn('outbox: could not change a refused photo', err);
    }
  }

  function item(photo) {
    const li = document.createElement('li');
    li.className = 'outbox-problems__item';
    li.dataset.seq = String(photo.seq);
    const url = URL.createObjectURL(photo.blob);
    urls.push(url);
    const img = document.createElement('img');
    img.className = 'outbox-problems__thumb';
    img.src = url;
    img.alt = '';
    const text = document.createElement('p');
    text.id = `outbox-problem-${photo.seq}`;
    text.className = 'outbox-problems__reason';
    text.textContent = `${photo.name || 'photo'}: ${photoRefusal(photo.refused)}`;
    const actions = document.createElement('div');
    actions.className = 'outbox-problems__actions';
    actions.append(
      button(STRINGS.photos.resend, text.id, () => act(() => resendPhoto(photo.seq))),
      button(STRINGS.photos.discard, text.id, () => act(async () => {
        await discardPhoto(photo.seq);
        title.focus();
      })),
    );
    li.append(img, text, actions);
    return li;
  }

  return async function render() {
    const photos = await refusedPhotos();
    for (const url of urls) URL.revokeObjectURL(url);
    urls = [];
    list.replaceChildren(...photos.map(item));
    panel.hidden = photos.length === 0;
  };
}

function start(line) {
  let state = { pending: 0, refused: 0, lastSentAt: null };
  let note = ''; // the last refusal or failed attempt, until something is sent again
  const showProblems = createProblems(line);
  let shownRefused = 0;

  const render = () => {
    const online = navigator.onLine !== false;
    const text = [statusText(state, online), note].filter(Boolean).join(' · ');
    if (line.textContent !== text) line.textContent = text;
    line.dataset.state = !online ? 'offline' : state.refused > 0 ? 'refused' : state.pending > 0 ? 'waiting' : 'sent';
    line.dataset.pending = String(state.pending);
    line.dataset.refused = String(state.refused);
  };

  const update = (now) => {
    state = now;
    render();
    if (state.refused > 0 || shownRefused > 0) {
      showProblems().catch((err) => console.warn('outbox: cannot list refused photos', err));
    }
    shownRefused = state.refused;
  };

  outbox.addEventListener('change', (event) => update(event.detail));
  outbox.addEventListener('sent', () => {
    note = '';
  });
  outbox.addEventListener('rejected', (event) => {
    note = event.detail.kind === 'photo' ? '' : STRINGS.sync[REJECTED[event.detail.kind] ?? 'rejectedFinding'];
    render();
  });
  outbox.addEventListener('failed', () => {
    note = navigator.onLine === false ? '' : STRINGS.sync.retrying;
    render();
  });
  window.addEventListener('online', render);
  window.addEventListener('offline', render);
  status().then(update, () => render());
}

const line = document.getElementById('sync-status');
if (line) start(line);
