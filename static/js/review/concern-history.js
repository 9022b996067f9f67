// The history of a concern (review/concern.js): who changed what when, in the page's language,
// as concern_pages.describe writes it on the server.

import { STRINGS } from '../shared/strings.js';
import { formatDateTime } from '../shared/times.js';

const T = STRINGS.concern;
const STATUS = STRINGS.review.status;

const fields = (names) => names.split(', ').map((name) => T.field[name] ?? name).join(', ');

/** As concern_pages.describe: `finding_*` notes hold the finding's id, then (`id: fields`) what changed. */
function describe(event) {
  let text = T.action[event.action] ?? event.action;
  if (event.to_status) {
    const to = STATUS[event.to_status] ?? event.to_status;
    text += `: ${event.from_status ? `${STATUS[event.from_status] ?? event.from_status} → ` : ''}${to}`;
  }
  if (event.action === 'edited' && event.note) {
    text += `: ${fields(event.note)}`;
  } else if (event.action.startsWith('finding_') && event.note) {
    const [finding, changed] = event.note.split(': ');
    text += ` (${finding.slice(0, 8)})${changed ? `: ${fields(changed)}` : ''}`;
  } else if (event.action === 'public_message_changed' && !event.note) {
    text = T.publicMessageRemoved;
  }
  return text;
}

function who(event, participantActions) {
  if (event.user) return event.user.display_name || event.user.username;
  if (event.actor) return event.actor;
  return participantActions.includes(event.action) ? T.participant : T.unknownUser;
}

const NOTE_ACTIONS = ['status_changed', 'public_message_changed'];

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

/** Show the concern's history in `list`, in the order the server sends it. */
export function renderHistory(list, history, participantActions) {
  const items = history.map((event) => {
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.dateTime = event.at;
    time.textContent = formatDateTime(new Date(event.at));
    item.append(time, ' ', span('concern-history__who', who(event, participantActions)), ' ', span('concern-history__what', describe(event)));
    if (event.note && NOTE_ACTIONS.includes(event.action)) item.append(' ', span('concern-history__note', event.note));
    return item;
  });
  list.replaceChildren(...items);
}
