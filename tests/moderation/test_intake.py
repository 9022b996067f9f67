"""The mode (MAPAPP_MODERATION) and the state what participants send and change starts in."""
import pytest
from sqlalchemy import text

from mapapp import create_app
from mapapp.moderation import actions
from mapapp.moderation.settings import ModerationConfigError, check_mode
from tests.factories import make_user
from tests.moderation.conftest import TEXT, send_finding


def states(session, finding_id) -> tuple[str, list[str], str | None]:
    session.rollback()
    row = session.execute(text("""
        SELECT f.text_moderation, f.public_description,
               ARRAY(SELECT p.moderation FROM photos p WHERE p.finding_id = f.id ORDER BY p.position) AS photos
        FROM findings f WHERE f.id = :id"""), {"id": finding_id}).one()
    return row.text_moderation, list(row.photos), row.public_description


def test_modes_are_checked():
    assert check_mode(" Post ") == "post"
    assert check_mode(None) == "pre"
    with pytest.raises(ModerationConfigError, match="pre, post, off"):
        check_mode("sometimes")


def test_a_wrong_mode_stops_the_app_with_a_clear_message(app):
    with pytest.raises(ModerationConfigError, match=r"MAPAPP_MODERATION='sometimes'.*pre, post, off"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                    "SECRET_KEY": "x", "MODERATION": "sometimes"})


def test_the_mode_comes_from_the_environment_and_defaults_to_pre(app, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    monkeypatch.delenv("MAPAPP_MODERATION", raising=False)
    assert create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"}).config["MODERATION"] == "pre"
    monkeypatch.setenv("MAPAPP_MODERATION", "post")
    assert create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"}).config["MODERATION"] == "post"


@pytest.mark.parametrize("mode_name, expected", [("pre", "pending"), ("post", "approved"), ("off", "approved")])
def test_new_text_and_photos_start_in_the_modes_state(client, session, mode, photo_storage, mode_name, expected):
    mode(mode_name)
    sent = send_finding(client)
    assert states(session, sent["id"])[:2] == (expected, [expected])


@pytest.mark.parametrize("description", [None, "", "   "])
def test_a_finding_without_text_needs_no_text_moderation(client, session, mode, photo_storage, description):
    sent = send_finding(client, text=description, photos=1)
    assert states(session, sent["id"])[:2] == ("approved", ["pending"])


def test_an_answer_to_a_free_text_question_is_text_to_moderate(client, session, mode):
    session.execute(text("""INSERT INTO category_attributes (category_slug, code, datatype, label_de, label_en)
                            VALUES ('empty_shop', 'note', 'string', 'Notiz', 'Note')"""))
    session.commit()
    try:
        sent = send_finding(client, text=None, photos=0, attributes={"note": "Hinterhof voller Müll"})
        assert states(session, sent["id"])[0] == "pending"
        public = client.application.test_client().get(f"/api/findings/{sent['id']}").get_json()["properties"]
        assert "note" not in public["attributes"]
        own = client.get(f"/api/findings/{sent['id']}").get_json()["properties"]
        assert own["attributes"]["note"] == "Hinterhof voller Müll"
    finally:
        session.rollback()
        session.execute(text("DELETE FROM category_attributes WHERE code = 'note'"))
        session.commit()


def test_changed_text_goes_through_moderation_again(client, session, mode, photo_storage):
    reviewer = make_user(session, "orga")
    sent = send_finding(client, photos=0)
    actions.edit_public_text(session, reviewer, sent["id"], "Schaufenster beschädigt")
    assert states(session, sent["id"]) == ("approved", [], "Schaufenster beschädigt")
    assert client.patch(f"/api/findings/{sent['id']}", json={"description": TEXT + " (neu)"}).status_code == 200
    assert states(session, sent["id"]) == ("pending", [], None)


def test_an_edit_never_brings_hidden_text_back_by_itself(client, session, mode, photo_storage):
    mode("post")
    reviewer = make_user(session, "orga")
    sent = send_finding(client, photos=0)
    actions.decide_text(session, reviewer, sent["id"], "hide")
    client.patch(f"/api/findings/{sent['id']}", json={"description": "Jetzt harmlos"})
    assert states(session, sent["id"])[0] == "pending"


def test_an_edit_of_something_else_keeps_the_decision(client, session, mode, photo_storage):
    reviewer = make_user(session, "orga")
    sent = send_finding(client, photos=0)
    actions.decide_text(session, reviewer, sent["id"], "approve")
    client.patch(f"/api/findings/{sent['id']}", json={"urgency": 3})
    assert states(session, sent["id"])[0] == "approved"
