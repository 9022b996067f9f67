"""The Atom feeds: valid Atom, entries only for status changes with public text, user text escaped."""
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from sqlalchemy import text

from mapapp.results import feed
from tests.results.helpers import CONCERN_TITLE, INTERNAL_NOTE, PUBLIC_MESSAGE, walk_with_results

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(body: bytes) -> ET.Element:
    """Parse the document and check what RFC 4287 requires of a feed and its entries."""
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None and root.find(f"{ATOM}{name}").text, name
    assert root.find(f"{ATOM}author/{ATOM}name").text
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")
    return root


def test_entries_only_for_status_changes_with_public_text(session):
    results = walk_with_results(session)
    rows = feed.feed_entries(session, results.walk_id)
    # The shops' concern: confirmed, then a public message; the cycle path's confirmed silently;
    # "in_review" is no feed status.
    assert [(row["title"], row["status"], row["message"]) for row in rows] == [
        (CONCERN_TITLE, "confirmed", PUBLIC_MESSAGE)]
    assert rows[0]["join_code"] == results.join_code
    assert feed.feed_entries(session, None) == rows


def test_a_cleared_message_makes_no_entry(session):
    from mapapp.review.concerns import workflow as concerns

    results = walk_with_results(session)
    version = session.execute(text("SELECT version FROM concerns WHERE id = :id"),
                              {"id": results.shop_concern}).scalar()
    user = session.execute(text("SELECT id FROM users LIMIT 1")).scalar()
    concerns.update_concern(session, results.shop_concern, public_message="", user_id=user, expected_version=version)
    assert feed.feed_entries(session, results.walk_id) == []


def test_atom_escapes_user_text_and_drops_what_xml_cannot_hold():
    nasty = 'Ampel </title><script>alert(1)</script> & "Kreuzung" \x07\x1b'
    document = feed.atom_xml(feed.Feed(
        self_url="http://localhost/results/feed.atom", page_url="http://localhost/results", title=nasty,
        author="Bürgerplattform", lang="de", updated=datetime(2026, 12, 7, tzinfo=timezone.utc),
        entries=[feed.FeedEntry(id_url="http://localhost/concern-events/1", title=nasty,
                                updated=datetime(2026, 12, 7, tzinfo=timezone.utc), link="http://localhost/x",
                                content=nasty)],
    ))
    root = parse_atom(document)
    assert b"<script>" not in document
    expected = 'Ampel </title><script>alert(1)</script> & "Kreuzung" '
    assert root.find(f"{ATOM}title").text == expected
    assert root.find(f"{ATOM}entry/{ATOM}content").text == expected


def test_walk_and_city_feeds_over_http(client, session):
    results = walk_with_results(session)
    for url in (f"/w/{results.join_code}/results/feed.atom", "/results/feed.atom"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "application/atom+xml"
        assert "Set-Cookie" not in response.headers
        root = parse_atom(response.data)
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 1
        assert entries[0].find(f"{ATOM}title").text == f"Bestätigt: {CONCERN_TITLE}"
        assert PUBLIC_MESSAGE in entries[0].find(f"{ATOM}content").text
        assert INTERNAL_NOTE.encode() not in response.data
        assert entries[0].find(f"{ATOM}link").get("href").endswith(
            f"/w/{results.join_code}/results#concern-{results.shop_concern}")


def test_feed_in_another_language(client, session):
    results = walk_with_results(session)
    response = client.get(f"/w/{results.join_code}/results/feed.atom?lang=en")
    root = parse_atom(response.data)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.find(f"{ATOM}entry/{ATOM}title").text == f"Confirmed: {CONCERN_TITLE}"
    assert "Set-Cookie" not in response.headers


def test_unpublished_walk_has_no_feed(client, session):
    results = walk_with_results(session, publish=False)
    assert client.get(f"/w/{results.join_code}/results/feed.atom").status_code == 404
