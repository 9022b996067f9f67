"""The moderation trail and the automatic blurring as the team sees them: labels of every action
(blur and unblur naming what the region held), who, Duisburg time with the zone named; on the
queue and the concern page, never on a public page."""
import json
import uuid

import pytest
from flask import g
from sqlalchemy import text

from mapapp.moderation import actions, history
from mapapp.photos import redaction
from mapapp.photos.blur import manual_box
from mapapp.photos import service as photo_service
from mapapp.review.concerns import workflow as concerns
from tests.auth.helpers import log_in
from tests.factories import make_finding, make_user
from tests.moderation.test_public import PUBLIC, body_of, sent  # noqa: F401 (the fixture)
from tests.photos.faces import astronaut_jpeg

REVIEWER = "Mira Moderatorin-Zett"
PLATE = {"x": 0.6, "y": 0.7, "w": 0.2, "h": 0.1, "kind": "plate", "source": "manual", "id": "p1"}


def add_event(session, finding_id, action, at, detail=None, user_id=None, actor=None):
    session.execute(text("""
        INSERT INTO moderation_events (finding_id, user_id, actor, action, detail, at)
        VALUES (:finding, :user_id, :actor, :action, CAST(:detail AS jsonb), CAST(:at AS timestamptz))"""),
        {"finding": finding_id, "user_id": user_id, "actor": actor, "action": action,
         "detail": json.dumps(detail or {}), "at": at})
    session.commit()


def test_the_trail_names_every_action_who_and_duisburg_time_with_the_zone(app, session):
    reviewer = make_user(session, "orga", display_name=REVIEWER)
    finding = make_finding(session, description="Leerstand")
    session.commit()
    add_event(session, finding, "photo_approved", "2026-01-15 10:00Z", user_id=reviewer.id)
    add_event(session, finding, "blur", "2026-07-01 10:00Z", {"region": PLATE}, user_id=reviewer.id)
    add_event(session, finding, "unblur", "2026-07-01 10:05Z", {"region": {**PLATE, "kind": "face"}},
              actor="Ehemaliges Konto")
    add_event(session, finding, "text_edited", "2026-07-02 08:00Z", {"old": "a", "new": "b"})
    with app.test_request_context("/?lang=de"):
        [entries] = history.trails(session, [finding]).values()
        assert [(e["what"], e["who"], e["when"]) for e in entries] == [
            ("Foto veröffentlicht", REVIEWER, "15.01.2026, 11:00 MEZ"),
            ("Bereich unkenntlich gemacht: Kennzeichen", REVIEWER, "01.07.2026, 12:00 MESZ"),
            ("Bereich wieder sichtbar gemacht: Gesicht", "Ehemaliges Konto", "01.07.2026, 12:05 MESZ"),
            ("Öffentlichen Text bearbeitet", "Unbekannt", "02.07.2026, 10:00 MESZ"),
        ]
    with app.test_request_context("/?lang=en"):
        g.pop("mapapp_lang", None)  # the app context (and its g) outlives the German request above
        [entries] = history.trails(session, [finding]).values()
        assert entries[1]["what"].startswith("Area blurred: ") and entries[1]["when"].endswith("CEST")


def test_every_trail_action_written_by_the_app_has_a_label():
    written = set(actions.TRAIL.values()) | {actions.TEXT_EDITED} | set(redaction.ACTIONS)
    assert written <= set(history.action_labels())


def test_the_automatic_regions_are_counted_per_photo(app, session, photo_storage):
    finding = make_finding(session, description="Leerstand")
    session.commit()
    photo, _ = photo_service.add_photo(session, photo_storage, finding, astronaut_jpeg(), "astronaut.jpg")
    found = history.auto_regions(session, [photo["id"], uuid.uuid4()])
    assert found[str(photo["id"])] == {"face": 1}
    with app.test_request_context("/?lang=de"):
        assert history.auto_summary(found[str(photo["id"])]) == (
            "1 Bereich automatisch unkenntlich gemacht (1 Gesicht)")
        assert history.auto_summary({"face": 1, "plate": 1}) == (
            "2 Bereiche automatisch unkenntlich gemacht (1 Gesicht, 1 Kennzeichen)")
        assert history.auto_summary({}) == "Nichts automatisch unkenntlich gemacht"


@pytest.fixture
def reviewed(app, session, sent, photo_storage):
    """The sent finding (text and photo) approved and a plate blurred by the reviewer: on its trail."""
    reviewer = make_user(session, "orga", display_name=REVIEWER)
    actions.decide_text(session, reviewer, sent["id"], "approve")
    actions.decide_photo(session, reviewer, sent["photos"][0]["id"], "approve")
    box = {key: PLATE[key] for key in ("x", "y", "w", "h")}
    with app.test_request_context("/"):
        redaction.add_region(session, photo_storage, uuid.UUID(sent["photos"][0]["id"]),
                             manual_box({**box, "kind": "plate"}), reviewer.id, REVIEWER)
    concern = concerns.create_concern(session, title="Laden", summary=None, category="empty_shop",
                                      finding_ids=[sent["id"]], user_id=reviewer.id)
    return {**sent, "concern": concern["id"]}


def test_the_trail_shows_on_the_queue_and_the_concern_page(app, reviewed):
    team = app.test_client()
    log_in(team, "orga")
    queue = team.get("/review/moderation?state=approved&lang=de").text
    assert queue.count('class="moderation-trail"') == 2  # the text's and the photo's item
    assert "Bereich unkenntlich gemacht: Kennzeichen" in queue and REVIEWER in queue
    assert "Nichts automatisch unkenntlich gemacht" in queue  # the test photo has no face
    assert 'class="btn btn--secondary photo-blur-open"' in queue and 'id="photo-blur"' in queue
    concern = team.get(f"/review/concerns/{reviewed['concern']}?lang=de").text
    assert 'class="moderation-trail"' in concern
    assert "Foto veröffentlicht" in concern and "Text veröffentlicht" in concern
    assert " MEZ" in concern or " MESZ" in concern


@pytest.mark.parametrize("name, url", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_the_trail_is_on_no_public_page(app, reviewed, name, url):
    # Grouped into a concern, the finding is served by Open311 as that concern.
    target = {**reviewed, "id": reviewed["concern"]} if name.startswith("open311_one") else reviewed
    body = body_of(app.test_client(), url + ("&" if "?" in url else "?") + "lang=de", target)
    for trace in (REVIEWER, "moderation-trail", "Freigabe-Verlauf", "Bereich unkenntlich gemacht",
                  "Foto veröffentlicht", "automatisch unkenntlich"):
        assert trace not in body, (name, trace)
