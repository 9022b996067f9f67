"""Exports: the city's hand-over (with free text) keeps everything; a public release (``--no-text``)
lists only the photos the public may see."""
from sqlalchemy import text

from mapapp.exports.selection import Selection, finding_rows_sql
from mapapp.moderation import actions
from tests.factories import make_user
from tests.moderation.conftest import send_finding


def photo_ids(session, **options) -> list[str]:
    sql, params = finding_rows_sql(Selection(include_photos=True, **options))
    session.rollback()
    rows = session.execute(text(sql), params).mappings().all()
    return [photo["id"] for row in rows for photo in (row["photos"] or [])]


def test_a_public_release_lists_only_approved_photos(client, session, mode, photo_storage):
    sent = send_finding(client, photos=2)
    reviewer = make_user(session, "orga")
    first, second = (p["id"] for p in sent["photos"])
    assert sorted(photo_ids(session, include_text=True)) == sorted([first, second])
    assert photo_ids(session, include_text=False) == []
    actions.decide_photo(session, reviewer, first, "approve")
    actions.decide_photo(session, reviewer, second, "hide")
    assert photo_ids(session, include_text=False) == [first]
    assert sorted(photo_ids(session, include_text=True)) == sorted([first, second])
