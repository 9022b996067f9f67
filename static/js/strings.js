// All user-visible texts used by the JavaScript modules, in one place.
// Static texts of the page itself live in the templates.
// The server renders these texts in the page's language into
// <script type="application/json" id="mapapp-strings"> (see base.html); the German texts
// below are the fallback for anything missing there. A new key goes here AND, with its
// German text in N_(), into mapapp/js_strings.py (tests/i18n checks that both match).

const GERMAN = {
  lang: 'de',
  locale: 'de-DE',
  timeZone: 'Europe/Berlin',
  dir: 'ltr',

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

  offlineArea: {
    progress: '{n} von {count} Kartenteilen gespeichert ({size} von {total})',
    saved: 'Gespeichert: {count} Kartenteile, {size}. Die Karte dieser Gegend geht jetzt auch ohne Netz.',
    cancelled: 'Abgebrochen. Was schon gespeichert ist, bleibt auf dem Handy.',
    noSpace: 'Auf diesem Handy ist zu wenig Platz frei: nötig sind etwa {size}, frei sind {free}.',
    failed: 'Die Karte konnte nicht ganz gespeichert werden. Bitte mit Netz noch einmal versuchen.',
  },

  popup: {
    ortsteil: 'Ortsteil',
    stadtbezirk: 'Stadtbezirk',
    created: 'Gemeldet',
    noDescription: 'Keine Beschreibung',
    unknownCategory: 'Fund',
    mine: 'Meins',
    pending: 'Noch nicht gesendet',
    photoAlt: 'Foto {n} von {count}',
    urgency: 'Dringlichkeit',
    urgencyValue: '{n} von 5',
    edit: 'Bearbeiten',
    delete: 'Löschen',
    deleteQuestion: 'Diesen Fund wirklich löschen?',
    deleteCancel: 'Abbrechen',
    deleteConfirm: 'Ja, löschen',
    confirm: '+1 Ich habe das auch gesehen ({n})',
    confirmed: '✓ Du hast das auch gesehen ({n})',
    confirmations: 'Von anderen bestätigt: {n}',
    unconfirmed: 'Deine Stimme wurde zurückgenommen.',
    publicMessage: 'Stand der Bearbeitung',
  },

  marker: {
    finding: '{category}: Fund anzeigen',
    draft: 'Gewählter Ort, verschiebbar',
    mine: 'Mein Fund – {category}: anzeigen',
    pending: '{category}: noch nicht gesendet',
    cell: '{n} Funde hier – zum Vergrößern antippen',
    cellOne: '1 Fund hier – zum Vergrößern antippen',
    cluster: '{n} Funde an dieser Stelle – antippen, um sie einzeln zu zeigen',
  },

  capture: {
    chooseHow: 'Bitte den Ort wählen: eigener Standort oder auf die Karte tippen.',
    locating: 'Standort wird ermittelt …',
    tapNow: 'Bitte jetzt auf die Karte tippen.',
    placeSet: 'Ort gesetzt. Die Markierung lässt sich verschieben.',
    placeMoved: 'Ort korrigiert.',
    accuracy: 'Genauigkeit ± {m} m',
    accuracyPoor: 'Ungenau (± {m} m): Tippe lieber auf die Karte, wo der Fund ist.',
    sending: 'Wird gesendet …',
    charCount: '{n} von {max} Zeichen',
    editTitle: 'Fund bearbeiten',
    editSend: 'Änderungen speichern',
    lineNow: 'Tippe nacheinander auf die Karte, um die Strecke zu zeichnen.',
    linePoints: 'Punkte der Strecke: {n}',
    lineSet: 'Strecke gesetzt (Punkte: {n}). Mit „Strecke“ weiterzeichnen.',
    step: 'Schritt {n} von {count}',
    placeMissing: 'Bitte zuerst den Ort wählen.',
    categoryMissing: 'Bitte wähle, was es ist.',
  },

  sync: {
    waitingOne: '1 Fund wartet auf Verbindung',
    waitingMany: '{n} Funde warten auf Verbindung',
    lastSent: 'zuletzt gesendet {time}',
    allSent: 'Alles gesendet · zuletzt {time}',
    offline: 'Offline – Funde werden gespeichert',
    rejectedFinding: 'Ein Fund wurde vom Server abgelehnt und verworfen.',
    retrying: 'Senden fehlgeschlagen – neuer Versuch folgt',
    refusedPhotoOne: '1 Foto nicht gespeichert',
    refusedPhotoMany: '{n} Fotos nicht gespeichert',
    rejectedEdit: 'Eine Änderung wurde vom Server abgelehnt und verworfen.',
    rejectedDelete: 'Eine Löschung wurde vom Server abgelehnt.',
  },

  walk: {
    meetingPoint: 'Treffpunkt',
    route: 'Geplante Route',
  },

  mine: {
    loading: 'Deine Funde werden geladen …',
    empty: 'Du hast auf diesem Gerät noch keine Funde gemeldet.',
    failed: 'Die gesendeten Funde können gerade nicht geladen werden. Hier stehen nur die, die noch warten.',
    waiting: 'Wartet auf Senden',
    notGrouped: 'Gesendet, noch nicht bearbeitet',
    status: 'Stand: {status}',
    show: 'Auf der Karte zeigen',
  },

  photos: {
    alt: 'Foto {n}',
    remove: 'Foto {n} entfernen',
    count: '{n} von {max} Fotos',
    notImage: 'Nur Bilder können angehängt werden.',
    tooMany: 'Höchstens {max} Fotos pro Fund.',
    added: 'Foto hinzugefügt ({n} von {max}).',
    removed: 'Foto entfernt.',
    notSaved: 'Foto nicht gespeichert: {reason}',
    tooLarge: 'Das Foto ist zu groß.',
    unsupported: 'Dieses Dateiformat wird nicht angenommen.',
    unreadable: 'Das Foto konnte nicht verarbeitet werden.',
    refused: 'Der Server hat das Foto abgelehnt ({status}).',
    refusedTitle: 'Nicht gespeicherte Fotos',
    kept: 'Sie bleiben auf diesem Gerät, bis du sie erneut sendest oder verwirfst.',
    resend: 'Erneut senden',
    discard: 'Verwerfen',
  },

  photoPlace: {
    found: 'Das Foto enthält seinen Aufnahmeort. Ort aus dem Foto übernehmen?',
    none: 'Das Foto enthält keinen Aufnahmeort. Bitte den Ort wählen.',
    far: 'Das Foto wurde {km} km von der Begehung entfernt aufgenommen. Trotzdem diesen Ort übernehmen?',
    taken: 'Ort aus dem Foto übernommen. Die Markierung lässt sich verschieben.',
  },

  attributes: {
    required: '(Pflichtangabe)',
    missing: 'Bitte beantworten.',
    notANumber: 'Bitte eine Zahl eingeben.',
  },

  nearby: {
    question: 'Schon in der Nähe gemeldet: {n}',
    distance: '{m} m',
    photoAlt: 'Foto des Fundes',
    confirm: '+1 Ich habe das auch gesehen',
    failed: 'Die Stimme konnte nicht gezählt werden. Bitte erneut versuchen.',
    thanks: 'Danke! Deine Stimme wurde gezählt (jetzt {n}). Es wurde kein neuer Fund angelegt.',
    thanksShort: 'Danke! Deine Stimme wurde gezählt.',
    answerFirst: 'Bitte zuerst oben antworten: Ist es einer davon?',
  },

  saving: {
    sent: 'Gespeichert.',
    edited: 'Änderung gespeichert.',
    deleted: 'Fund gelöscht.',
    deleting: 'Wird gelöscht …',
    deleteQueued: 'Löschen vorgemerkt – wird gesendet, sobald wieder Verbindung besteht.',
    queuedOffline: 'Auf dem Gerät gespeichert – wird gesendet, sobald wieder Verbindung besteht.',
    photosSending: 'Fund gesendet – die Fotos werden noch übertragen …',
  },

  review: {
    loading: 'Wird geladen …',
    empty: 'Keine Funde für diese Auswahl.',
    summary: 'Gruppen: {clusters} · einzelne Funde: {unclustered}',
    clusterLabel: '{category}: Funde {count}, Personen {participants}',
    count: 'Funde: {n}',
    participants: 'Personen: {n}',
    confirmations: '+1: {n}',
    single: 'Einzelner Fund',
    period: '{first} bis {last}',
    place: '{category} in {place}',
    allChosen: 'alle',
    chosen: '{n} gewählt',
    loadingFindings: 'Funde werden geladen …',
    findingsFailed: 'Die Funde dieser Gruppe konnten nicht geladen werden.',
    titleMissing: 'Bitte einen Titel angeben.',
    adopting: 'Anliegen wird angelegt …',
    adopted: 'Anliegen angelegt.',
    status: {
      new: 'Neu',
      in_review: 'In Prüfung',
      confirmed: 'Bestätigt',
      handed_over: 'Übergeben',
      resolved: 'Erledigt',
      rejected: 'Abgelehnt',
      duplicate: 'Doppelt gemeldet',
    },
  },

  concern: {
    marker: 'Ort des Anliegens – verschiebbar, auch mit den Pfeiltasten',
    saving: 'Wird gespeichert …',
    locationSaved: 'Neuer Ort gespeichert.',
    statusSaved: 'Status gespeichert.',
    edited: 'Änderungen gespeichert.',
    moved: 'Fund verschoben.',
    removed: 'Fund aus dem Anliegen genommen.',
    stale: 'Jemand anderes hat das Anliegen inzwischen geändert – bitte neu laden.',
    unknownUser: 'Unbekannt',
    noFindings: 'Diesem Anliegen gehören keine Funde mehr an.',
    participant: 'Meldende Person',
    publicMessageSaved: 'Öffentliche Mitteilung gespeichert.',
    publicMessageAt: 'Veröffentlicht: {time}',
    publicMessageRemoved: 'Öffentliche Mitteilung entfernt',
    action: {
      created: 'Angelegt',
      status_changed: 'Status geändert',
      edited: 'Bearbeitet',
      finding_added: 'Fund hinzugefügt',
      finding_removed: 'Fund entfernt',
      public_message_changed: 'Öffentliche Mitteilung geändert',
      finding_edited: 'Fund von der meldenden Person geändert',
      finding_recategorised: 'Fund herausgenommen: andere Kategorie gewählt',
      finding_withdrawn: 'Fund von der meldenden Person gelöscht',
      no_findings_left: 'Keine Funde mehr in diesem Anliegen',
    },
    field: {
      title: 'Titel',
      summary: 'Zusammenfassung',
      location: 'Ort',
      category: 'Kategorie',
      place: 'Ort',
      description: 'Beschreibung',
      attributes: 'Angaben',
      urgency: 'Dringlichkeit',
    },
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
};

/** The translated texts the server rendered into the page ({} when absent or broken). */
function serverStrings() {
  try {
    const data = JSON.parse(document.getElementById('mapapp-strings')?.textContent || 'null');
    return data && typeof data === 'object' ? data : {};
  } catch {
    return {};
  }
}

/** `fallback` with every text that `given` has for the same key (nested objects merged). */
function merge(fallback, given) {
  const out = { ...fallback };
  for (const [key, value] of Object.entries(given ?? {})) {
    const base = fallback[key];
    if (value && typeof value === 'object') {
      if (base === undefined || (base && typeof base === 'object')) out[key] = Object.freeze(merge(base ?? {}, value));
    } else if (typeof value === 'string' && value && (base === undefined || typeof base === 'string')) {
      out[key] = value;
    }
  }
  return out;
}

export const STRINGS = Object.freeze(merge(GERMAN, serverStrings()));

/** Replace `{name}` placeholders with values from `vars`. */
export function format(template, vars = {}) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in vars ? String(vars[key]) : match));
}

/** Label of a category in the current language (`label` from the API), else German, else the slug. */
export function categoryLabel(category) {
  return category?.label || category?.[`label_${STRINGS.lang}`] || category?.label_de || category?.slug || '';
}
