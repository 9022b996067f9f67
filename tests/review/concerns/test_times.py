"""The review pages show a concern's times as Duisburg time with the zone named."""
from datetime import datetime, timezone

from sqlalchemy import text

from tests.auth.helpers import log_in
from tests.factories import make_finding, make_user
from tests.open311.helpers import make_concern

UTC_NIGHT = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)  # 02.03.2026, 00:30 MEZ in Duisburg


def test_concern_list_and_page_name_the_zone(client, session):
    make_user(session, "orga")
    finding_id = make_finding(session)
    concern_id = make_concern(session, [finding_id], note="angelegt")
    session.execute(text("UPDATE concerns SET updated_at = :at WHERE id = :id"), {"at": UTC_NIGHT, "id": concern_id})
    session.execute(text("UPDATE concern_events SET at = :at WHERE concern_id = :id"),
                    {"at": UTC_NIGHT, "id": concern_id})
    session.execute(text("UPDATE findings SET created_at = :at WHERE id = :id"), {"at": UTC_NIGHT, "id": finding_id})
    session.commit()
    log_in(client)
    assert "02.03.2026, 00:30 MEZ" in client.get("/review/concerns").text
    page = client.get(f"/review/concerns/{concern_id}").text
    assert page.count("02.03.2026, 00:30 MEZ") >= 2  # the audit entry and the finding
