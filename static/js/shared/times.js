// Times shown to people: Duisburg time (STRINGS.timeZone) with the zone named as the server
// names it (STRINGS.zones: "MEZ"/"MESZ" in German, "CET"/"CEST" in the other languages), so that a
// time in a popup reads like one on a page ("02.03.2026, 00:30 MEZ" in German). The browser's
// own zone names differ by language ("غرينتش+1" in Arabic, "GMT+1" in English).
//
// Formatters are made when first used, never while a module loads: the first one with a time
// zone loads the zone data, about 80 ms of a slow phone's main thread during the map's start.

import { STRINGS } from './strings.js';

const formatters = new Map();

/** A formatter of Duisburg time for these Intl.DateTimeFormat `options`, made once. */
export function duisburgFormat(options, locale = STRINGS.locale) {
  const key = `${locale} ${JSON.stringify(options)}`;
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat(locale, { ...options, timeZone: STRINGS.timeZone }));
  }
  return formatters.get(key);
}

/** Duisburg's zone at `date` by name, from its UTC offset ("GMT+01:00" in a fixed locale). */
function zoneName(date) {
  const offset = duisburgFormat({ timeZoneName: 'longOffset' }, 'en-US').formatToParts(date)
    .find((part) => part.type === 'timeZoneName')?.value ?? '';
  const [, sign, hours, minutes] = /GMT([+-])(\d\d):(\d\d)/.exec(offset) ?? [];
  const seconds = sign ? (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60) : 0;
  return STRINGS.zones?.[seconds] ?? offset;
}

/** `date` in Duisburg time with these `options`, the zone named after it. */
export const formatWithZone = (options, date) => `${duisburgFormat(options).format(date)} ${zoneName(date)}`;

const DATE_TIME = { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/** Date and time with the zone named, e.g. "02.03.2026, 00:30 MEZ". */
export const formatDateTime = (date) => formatWithZone(DATE_TIME, date);
