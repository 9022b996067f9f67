// All user-visible texts used by the JavaScript modules, in one place.
// Static texts of the page itself live in the templates.
// For i18n later: swap this object (e.g. load STRINGS_EN) and set `lang`.

export const STRINGS = Object.freeze({
  lang: 'de',
  locale: 'de-DE',
  timeZone: 'Europe/Berlin',

  map: {
    zoomIn: 'Vergrößern',
    zoomOut: 'Verkleinern',
    layers: 'Kartenebenen',
    closePopup: 'Schließen',
    baseLayer: 'Stadtplan',
    districts: 'Stadtbezirke',
    quarters: 'Ortsteile',
    findings: 'Funde',
  },

  popup: {
    ortsteil: 'Ortsteil',
    stadtbezirk: 'Stadtbezirk',
    created: 'Gemeldet',
    noDescription: 'Keine Beschreibung',
    unknownCategory: 'Fund',
  },

  marker: {
    finding: '{category}: Fund anzeigen',
    draft: 'Gewählter Ort, verschiebbar',
  },

  capture: {
    chooseHow: 'Bitte den Ort wählen: eigener Standort oder auf die Karte tippen.',
    locating: 'Standort wird ermittelt …',
    tapNow: 'Bitte jetzt auf die Karte tippen.',
    placeSet: 'Ort gesetzt. Die Markierung lässt sich verschieben.',
    placeMoved: 'Ort korrigiert.',
    accuracy: 'Genauigkeit ± {m} m',
    sending: 'Wird gesendet …',
    charCount: '{n} von {max} Zeichen',
  },

  saved: 'Gespeichert: {category} in {place}',
  savedNoPlace: 'Gespeichert: {category}',
  findingsTruncated: 'Nicht alle Funde werden angezeigt. Bitte hineinzoomen.',

  errors: {
    network: 'Keine Verbindung zum Server. Die Eingaben bleiben erhalten – bitte erneut senden.',
    server: 'Der Server meldet einen Fehler ({status}). Bitte erneut versuchen.',
    validation: 'Bitte die markierten Angaben prüfen.',
    unexpected: 'Etwas ist schiefgegangen. Bitte erneut versuchen.',
    categories: 'Die Kategorien konnten nicht geladen werden. Bitte die Seite neu laden.',
    findings: 'Die Funde konnten nicht geladen werden.',
    districts: 'Die Bezirksgrenzen konnten nicht geladen werden.',
    noMap: 'Die Karte konnte nicht geladen werden.',
    geoUnsupported: 'Dieses Gerät kann den Standort nicht ermitteln. Bitte auf die Karte tippen.',
    geoDenied: 'Der Standortzugriff wurde nicht erlaubt. Bitte auf die Karte tippen.',
    geoUnavailable: 'Der Standort ist gerade nicht verfügbar. Bitte auf die Karte tippen.',
    geoTimeout: 'Der Standort konnte nicht rechtzeitig ermittelt werden. Bitte erneut versuchen oder auf die Karte tippen.',
  },
});

/** Replace `{name}` placeholders with values from `vars`. */
export function format(template, vars = {}) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in vars ? String(vars[key]) : match));
}

/** Label of a category in the current language, falling back to German, then the slug. */
export function categoryLabel(category) {
  return category?.[`label_${STRINGS.lang}`] || category?.label_de || category?.slug || '';
}
