"""The city-sending page shows sent, retry, asked-again and claimed times as Duisburg time, zone named."""
from datetime import datetime, timezone

from sqlalchemy import text

from tests.auth.helpers import log_in
from tests.factories import make_user
from tests.open311.helpers import confirmed

UTC_NIGHT = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)  # 02.03.2026, 00:30 MEZ in Duisburg


def _submission(session, endpoint, state, **columns):
    concern_id = confirmed(session)
    sets = ", ".join(f"{name} = :{name}" for name in columns)
    session.execute(text("INSERT INTO city_submissions (concern_id, endpoint_id) VALUES (:id, :endpoint)"),
                    {"id": concern_id, "endpoint": endpoint})
    session.execute(text(f"UPDATE city_submissions SET state = :state, {sets} WHERE concern_id = :id"),
                    {"id": concern_id, "state": state, **columns})
    session.commit()
    return concern_id


def test_city_page_times_are_duisburg_time_with_the_zone(client, session, endpoint):
    make_user(session, "orga")
    _submission(session, endpoint, "sent", sent_at=UTC_NIGHT, city_status="open", updated_at=UTC_NIGHT,
                service_request_id="city-9")
    _submission(session, endpoint, "failed", attempts=1, last_error="503", updated_at=UTC_NIGHT)
    _submission(session, endpoint, "uncertain", claimed_at=UTC_NIGHT)
    log_in(client)
    page = client.get("/organiser/city/").text
    assert "gesendet 02.03.2026, 00:30 MEZ" in page
    assert "(open, abgerufen 02.03.2026, 00:30 MEZ)" in page
    assert "nächster Versuch 02.03.2026, 00:31 MEZ" in page  # 60 s backoff after the first attempt
    assert "abgeschickt am 02.03.2026, 00:30 MEZ." in page
