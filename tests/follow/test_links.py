"""Follow tokens: random, stored only as their SHA-256, replaced by a new one; public updates only."""
import hashlib
import uuid

from sqlalchemy import text

from mapapp.follow import links
from mapapp.follow.updates import followed_findings, public_updates
from mapapp.statuses import status_labels
from tests.follow.helpers import CONCERN_SUMMARY, CONCERN_TITLE, INTERNAL_NOTE, PUBLIC_MESSAGE, group_with_updates
from tests.factories import make_finding


def stored_hash(session, participant_id):
    return session.execute(text("SELECT follow_token_hash FROM participants WHERE id = :id"),
                           {"id": participant_id}).scalar()


def test_a_link_is_random_and_only_its_hash_is_stored(session):
    participant_id = uuid.uuid4()
    token = links.make_link(session, participant_id)
    assert links.TOKEN_PATTERN.fullmatch(token)
    assert stored_hash(session, participant_id) == hashlib.sha256(token.encode()).hexdigest()
    row = session.execute(text("SELECT row_to_json(p)::text FROM participants p WHERE id = :id"),
                          {"id": participant_id}).scalar()
    assert token not in row
    assert links.participant_for(session, token) == participant_id
    assert links.has_link(session, participant_id)
    assert links.make_link(session, uuid.uuid4()) != token


def test_a_new_link_replaces_the_old_one(session):
    participant_id = uuid.uuid4()
    old = links.make_link(session, participant_id)
    new = links.make_link(session, participant_id)
    assert links.participant_for(session, old) is None
    assert links.participant_for(session, new) == participant_id


def test_strings_that_cannot_be_tokens_are_not_looked_up(session):
    for bad in ("", "x", "a" * 42, "a" * 44, "a" * 42 + "/", "ä" * 43, "a" * 10000, "a" * 42 + "\x00"):
        assert links.participant_for(session, bad) is None
    assert not links.has_link(session, None) and not links.has_link(session, uuid.uuid4())


def test_public_updates_are_status_changes_and_public_messages_never_notes(session):
    finding_id = make_finding(session, category="empty_shop")
    concern_id = group_with_updates(session, str(finding_id))
    updates = public_updates(session, [concern_id])[str(concern_id)]
    assert [(u["kind"], u["status"], u["message"]) for u in updates] == [
        ("status", "confirmed", None),
        ("message", None, PUBLIC_MESSAGE),
        ("status", "in_review", None),
        ("status", "new", None),
    ]
    assert all(u["at"] for u in updates)
    assert public_updates(session, []) == {}


def test_followed_findings_are_the_participants_own_with_updates(session):
    finding_id = make_finding(session, category="empty_shop", description="eigener Text")
    make_finding(session, category="litter")  # nobody's: no participant
    participant_id = uuid.uuid4()
    session.execute(text("INSERT INTO participants (id) VALUES (:id)"), {"id": participant_id})
    session.execute(text("UPDATE findings SET participant_id = :p WHERE id = :id"),
                    {"p": participant_id, "id": finding_id})
    session.commit()
    group_with_updates(session, str(finding_id))
    found = followed_findings(session, participant_id, status_labels())
    assert [f["id"] for f in found] == [str(finding_id)]
    assert found[0]["description"] == "eigener Text"
    assert found[0]["concern_status"] == "confirmed" and found[0]["concern_status_label"] == "Bestätigt"
    assert [u["kind"] for u in found[0]["updates"]] == ["status", "message", "status", "status"]
    everything = repr(found)
    for internal in (INTERNAL_NOTE, CONCERN_TITLE, CONCERN_SUMMARY, "rita", "Rita"):
        assert internal not in everything
