"""The one helper for times shown to people: Duisburg time with the zone named."""
from datetime import datetime, timezone

from mapapp.i18n import local_time

WINTER_NIGHT = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)


def test_german_names_mez_and_mesz():
    assert local_time(WINTER_NIGHT, "de") == "02.03.2026, 00:30 MEZ"
    assert local_time(datetime(2026, 7, 1, 10, tzinfo=timezone.utc), "de_simple") == "01.07.2026, 12:00 MESZ"


def test_other_languages_name_cet_and_cest():
    assert local_time(WINTER_NIGHT, "en").endswith("00:30 CET")
    assert local_time("2026-07-01T10:00:00+00:00", "tr").endswith("12:00 CEST")


def test_iso_text_naive_and_missing():
    assert local_time("2026-03-01T23:30:00Z", "de") == "02.03.2026, 00:30 MEZ"
    assert local_time(datetime(2026, 3, 1, 23, 30), "de") == "02.03.2026, 00:30 MEZ"
    assert local_time(None) == ""
