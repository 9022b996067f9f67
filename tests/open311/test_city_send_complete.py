"""What the city gets: answers as attribute[...], one public photo as media_url, counts, the link back."""
import json
import uuid

import pytest
from sqlalchemy import text

from mapapp.open311.city.client import Open311Client
from mapapp.open311.city.links import public_links
from mapapp.open311.city.queue import queue_concerns
from mapapp.open311.city.sending import DESCRIPTION_MAX_LENGTH, send_pending
from tests.factories import make_finding
from tests.open311.helpers import make_concern

BASE = "https://mitmachen.example.org"
SHA = {"first": "a" * 64, "rejected": "b" * 64}


def _participant(session) -> uuid.UUID:
    pid = uuid.uuid4()
    session.execute(text("INSERT INTO participants (id) VALUES (:id)"), {"id": pid})
    return pid


def _finding(session, answers, participant, status="new", photo=None, category="empty_shop"):
    finding_id = make_finding(session, category=category)
    session.execute(text("UPDATE findings SET attributes = CAST(:a AS jsonb), participant_id = :p, status = :s "
                         "WHERE id = :id"), {"a": json.dumps(answers), "p": participant, "s": status, "id": finding_id})
    if photo:
        session.execute(text("INSERT INTO photos (id, finding_id, sha256, stored_sha256, width, height) "
                             "VALUES (gen_random_uuid(), :f, :sha, :sha, 800, 600)"), {"f": finding_id, "sha": photo})
    session.commit()
    return finding_id


@pytest.fixture
def free_text_question(session):
    session.execute(text("""INSERT INTO category_attributes (category_slug, code, datatype, required, label_de,
                            label_en, "order", values) VALUES ('empty_shop', 'owner', 'string', false, 'Eigentümer',
                            'Owner', 90, '[]'::jsonb)"""))
    session.commit()
    yield "owner"
    session.execute(text("DELETE FROM category_attributes WHERE code = 'owner'"))
    session.commit()


def _concern(session):
    anna, ben = _participant(session), _participant(session)
    findings = [
        _finding(session, {"ground_floor": "no", "owner": "Frau Beispiel, Tel. 0203"}, anna, "rejected",
                 photo=SHA["rejected"]),
        _finding(session, {"ground_floor": "yes", "empty_since": "gt_1_year"}, anna, photo=SHA["first"]),
        _finding(session, {"ground_floor": "yes"}, ben),
    ]
    concern_id = make_concern(session, findings, status="confirmed")
    session.execute(text("INSERT INTO confirmations (finding_id, participant_id) VALUES (:f, :p)"),
                    {"f": findings[1], "p": _participant(session)})
    session.commit()
    return concern_id


@pytest.fixture(autouse=True)
def public_base(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE)


def _send(app, session, endpoint, concern_id, **options):
    queue_concerns(session, endpoint, [concern_id])
    with app.test_request_context("/"), public_links() as links:
        report = send_pending(session, Open311Client(timeout=5), links=links, **options)
    assert report.sent == {str(concern_id): "city-1"}, report


def test_the_city_gets_answers_photo_counts_and_the_link_back(app, session, server, endpoint, free_text_question):
    concern_id = _concern(session)
    _send(app, session, endpoint, concern_id)
    [form] = server.forms
    assert form["attribute[ground_floor]"] == ["yes"]  # two of three findings said yes
    assert form["attribute[empty_since]"] == ["gt_1_year"]
    assert "attribute[owner]" not in form  # free text only where the public-text rules allow it
    assert form["media_url"] == [f"{BASE}/photos/{SHA['first']}/web.jpg"]  # not the rejected finding's photo
    description = form["description"][0]
    assert description.startswith("Leerstand am Platz\n\nMehrere Läden stehen leer\n\n")
    assert "Funde: 3 · Personen: 3" in description
    assert (f"Öffentlicher Eintrag (eine eigene öffentliche Seite gibt es noch nicht): "
            f"{BASE}/open311/v2/requests/{concern_id}.json") in description


def test_free_text_answers_go_when_text_is_allowed(app, session, server, endpoint, free_text_question):
    concern_id = _concern(session)
    _send(app, session, endpoint, concern_id, include_text=True)
    assert server.forms[0]["attribute[owner]"] == ["Frau Beispiel, Tel. 0203"]


def test_multiple_choice_answers_are_repeated_fields(app, session, server, endpoint):
    someone = _participant(session)
    findings = [_finding(session, {"damage": ["potholes"]}, someone, category="cycle_path"),
                _finding(session, {"damage": ["roots", "potholes"]}, someone, category="cycle_path")]
    concern_id = make_concern(session, findings, status="confirmed", category="cycle_path")
    _send(app, session, endpoint, concern_id)
    form = server.forms[0]
    assert form["attribute[damage][]"] == ["potholes", "roots"] and "media_url" not in form
    assert "Funde: 2 · Personen: 1" in form["description"][0]


def test_a_long_summary_leaves_room_for_counts_and_link(app, session, server, endpoint):
    concern_id = _concern(session)
    session.execute(text("UPDATE concerns SET summary = :s WHERE id = :id"), {"s": "x" * 5000, "id": concern_id})
    session.commit()
    _send(app, session, endpoint, concern_id)
    description = server.forms[0]["description"][0]
    assert len(description) == DESCRIPTION_MAX_LENGTH and description.endswith(f"{concern_id}.json")


def test_cli_sends_links_under_the_public_base_url(app, session, server, endpoint):
    concern_id = _concern(session)
    result = app.test_cli_runner().invoke(args=["city", "send", "--concern", str(concern_id)])
    assert result.exit_code == 0, result.output
    form = server.forms[0]
    assert form["media_url"] == [f"{BASE}/photos/{SHA['first']}/web.jpg"]
    assert f"{BASE}/open311/v2/requests/{concern_id}.json" in form["description"][0]


def test_cli_without_public_base_url_says_links_are_left_out(app, session, server, endpoint, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    concern_id = _concern(session)
    result = app.test_cli_runner().invoke(args=["city", "send", "--concern", str(concern_id)])
    assert result.exit_code == 0 and "without photo and page links" in result.output
    form = server.forms[0]
    assert "media_url" not in form and "Funde: 3 · Personen: 3" in form["description"][0]
    assert "requests/" not in form["description"][0]
