// Times shown to people: Duisburg time (STRINGS.timeZone) with the zone named, as the server
// writes them ("02.03.2026, 00:30 MEZ" in German).
//
// Formatters are made when first used, never while a module loads: the first one with a time
// zone loads the zone data, about 80 ms of a slow phone's main thread during the map's start.

import { STRINGS } from './strings.js';

const formatters = new Map();

/** A formatter of Duisburg time for these Intl.DateTimeFormat `options`, made once. */
export function duisburgFormat(options) {
  const key = JSON.stringify(options);
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat(STRINGS.locale, { ...options, timeZone: STRINGS.timeZone }));
  }
  return formatters.get(key);
}

const DATE_TIME = {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
};

/** Date and time with the zone named, e.g. "02.03.2026, 00:30 MEZ". */
export const formatDateTime = (date) => duisburgFormat(DATE_TIME).format(date);
