"""The scripts' texts (static/js/strings.js), as German msgids for the catalogues.

``mapapp.i18n.js_strings()`` translates this tree for each page and renders it into
``<script type="application/json" id="mapapp-strings">``; strings.js keeps the same German
texts as its fallback. Keep the keys of both in step (tests/i18n checks that they match):
a key added to strings.js goes here too, with ``N_()`` around its German text so that
``mapapp translations extract`` finds it. Placeholders are ``{name}`` (filled in by the scripts).
"""


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated when a page is rendered."""
    return message


JS_STRINGS = {
    "map": {
        "zoomIn": N_("Vergrößern"),
        "zoomOut": N_("Verkleinern"),
        "layers": N_("Kartenebenen"),
        "closePopup": N_("Schließen"),
        "baseLayer": N_("Stadtplan"),
        "districts": N_("Stadtbezirke"),
        "quarters": N_("Ortsteile"),
        "findings": N_("Funde"),
    },
    "popup": {
        "ortsteil": N_("Ortsteil"),
        "stadtbezirk": N_("Stadtbezirk"),
        "created": N_("Gemeldet"),
        "noDescription": N_("Keine Beschreibung"),
        "unknownCategory": N_("Fund"),
        "mine": N_("Meins"),
        "pending": N_("Noch nicht gesendet"),
        "photoAlt": N_("Foto {n} von {count}"),
        "urgency": N_("Dringlichkeit"),
        "urgencyValue": N_("{n} von 5"),
        "edit": N_("Bearbeiten"),
        "delete": N_("Löschen"),
        "deleteQuestion": N_("Diesen Fund wirklich löschen?"),
        "deleteCancel": N_("Abbrechen"),
        "deleteConfirm": N_("Ja, löschen"),
        "confirm": N_("+1 Ich habe das auch gesehen ({n})"),
        "confirmed": N_("✓ Du hast das auch gesehen ({n})"),
        "confirmations": N_("Von anderen bestätigt: {n}"),
        "unconfirmed": N_("Deine Stimme wurde zurückgenommen."),
    },
    "marker": {
        "finding": N_("{category}: Fund anzeigen"),
        "draft": N_("Gewählter Ort, verschiebbar"),
        "mine": N_("Mein Fund – {category}: anzeigen"),
        "pending": N_("{category}: noch nicht gesendet"),
    },
    "capture": {
        "chooseHow": N_("Bitte den Ort wählen: eigener Standort oder auf die Karte tippen."),
        "locating": N_("Standort wird ermittelt …"),
        "tapNow": N_("Bitte jetzt auf die Karte tippen."),
        "placeSet": N_("Ort gesetzt. Die Markierung lässt sich verschieben."),
        "placeMoved": N_("Ort korrigiert."),
        "accuracy": N_("Genauigkeit ± {m} m"),
        "sending": N_("Wird gesendet …"),
        "charCount": N_("{n} von {max} Zeichen"),
        "editTitle": N_("Fund bearbeiten"),
        "editSend": N_("Änderungen speichern"),
        "lineNow": N_("Tippe nacheinander auf die Karte, um die Strecke zu zeichnen."),
        "linePoints": N_("Punkte der Strecke: {n}"),
        "lineSet": N_("Strecke gesetzt (Punkte: {n}). Mit „Strecke“ weiterzeichnen."),
    },
    "sync": {
        "waitingOne": N_("1 Fund wartet auf Verbindung"),
        "waitingMany": N_("{n} Funde warten auf Verbindung"),
        "lastSent": N_("zuletzt gesendet {time}"),
        "allSent": N_("Alles gesendet · zuletzt {time}"),
        "offline": N_("Offline – Funde werden gespeichert"),
        "rejectedFinding": N_("Ein Fund wurde vom Server abgelehnt und verworfen."),
        "rejectedPhoto": N_("Ein Foto wurde vom Server abgelehnt und verworfen."),
        "rejectedEdit": N_("Eine Änderung wurde vom Server abgelehnt und verworfen."),
        "rejectedDelete": N_("Eine Löschung wurde vom Server abgelehnt."),
    },
    "walk": {
        "meetingPoint": N_("Treffpunkt"),
        "route": N_("Geplante Route"),
    },
    "photos": {
        "alt": N_("Foto {n}"),
        "remove": N_("Foto {n} entfernen"),
        "count": N_("{n} von {max} Fotos"),
        "notImage": N_("Nur Bilder können angehängt werden."),
        "tooMany": N_("Höchstens {max} Fotos pro Fund."),
        "added": N_("Foto hinzugefügt ({n} von {max})."),
        "removed": N_("Foto entfernt."),
    },
    "photoPlace": {
        "found": N_("Das Foto enthält seinen Aufnahmeort. Ort aus dem Foto übernehmen?"),
        "none": N_("Das Foto enthält keinen Aufnahmeort. Bitte den Ort wählen."),
        "taken": N_("Ort aus dem Foto übernommen. Die Markierung lässt sich verschieben."),
    },
    "attributes": {
        "required": N_("(Pflichtangabe)"),
        "missing": N_("Bitte beantworten."),
        "notANumber": N_("Bitte eine Zahl eingeben."),
    },
    "nearby": {
        "question": N_("Schon in der Nähe gemeldet: {n}"),
        "found": N_("Ähnliche Funde in der Nähe: {n}. Ist es einer davon?"),
        "distance": N_("{m} m"),
        "photoAlt": N_("Foto des Fundes"),
        "confirm": N_("+1 Ich habe das auch gesehen"),
        "failed": N_("Die Stimme konnte nicht gezählt werden. Bitte erneut versuchen."),
        "thanks": N_("Danke! Deine Stimme wurde gezählt (jetzt {n}). Es wurde kein neuer Fund angelegt."),
        "thanksShort": N_("Danke! Deine Stimme wurde gezählt."),
        "answerFirst": N_("Bitte zuerst oben antworten: Ist es einer davon?"),
    },
    "saving": {
        "sent": N_("Gespeichert."),
        "edited": N_("Änderung gespeichert."),
        "deleted": N_("Fund gelöscht."),
        "deleting": N_("Wird gelöscht …"),
        "deleteQueued": N_("Löschen vorgemerkt – wird gesendet, sobald wieder Verbindung besteht."),
        "queuedOffline": N_("Auf dem Gerät gespeichert – wird gesendet, sobald wieder Verbindung besteht."),
    },
    "saved": N_("Gespeichert: {category} in {place}"),
    "savedNoPlace": N_("Gespeichert: {category}"),
    "findingsTruncated": N_("Nicht alle Funde werden angezeigt. Bitte hineinzoomen."),
    "errors": {
        "network": N_("Keine Verbindung zum Server. Die Eingaben bleiben erhalten – bitte erneut senden."),
        "server": N_("Der Server meldet einen Fehler ({status}). Bitte erneut versuchen."),
        "validation": N_("Bitte die markierten Angaben prüfen."),
        "unexpected": N_("Etwas ist schiefgegangen. Bitte erneut versuchen."),
        "categories": N_("Die Kategorien konnten nicht geladen werden. Bitte die Seite neu laden."),
        "findings": N_("Die Funde konnten nicht geladen werden."),
        "districts": N_("Die Bezirksgrenzen konnten nicht geladen werden."),
        "noMap": N_("Die Karte konnte nicht geladen werden."),
        "geoUnsupported": N_("Dieses Gerät kann den Standort nicht ermitteln. Bitte auf die Karte tippen."),
        "geoDenied": N_("Der Standortzugriff wurde nicht erlaubt. Bitte auf die Karte tippen."),
        "geoUnavailable": N_("Der Standort ist gerade nicht verfügbar. Bitte auf die Karte tippen."),
        "geoTimeout": N_("Der Standort konnte nicht rechtzeitig ermittelt werden. Bitte erneut versuchen oder auf die Karte tippen."),
    },
}
