// Times shown to people: Duisburg time (STRINGS.timeZone) with the zone named, as the server
// writes them ("02.03.2026, 00:30 MEZ" in German).

import { STRINGS } from './strings.js';

export const dateTime = new Intl.DateTimeFormat(STRINGS.locale, {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  timeZone: STRINGS.timeZone, timeZoneName: 'short',
});
