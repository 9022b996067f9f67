"""The results' SQL: counts by category and Ortsteil, the public GeoJSON, concerns, photos, publication."""
import json
import uuid

from sqlalchemy import text

from mapapp.results import queries
from tests.factories import make_walk
from tests.results.helpers import CONCERN_TITLE, OTHER_TITLE, walk_with_results


def test_counts_by_category_and_ortsteil(session):
    results = walk_with_results(session)
    counts = queries.counts(session, results.walk_id)
    assert counts["findings"] == 3  # the finding outside the walk is not counted
    assert counts["concerns"] == 2 and counts["resolved"] == 0
    assert [(row["slug"], row["count"]) for row in counts["by_category"]] == [("empty_shop", 2), ("cycle_path", 1)]
    expected = session.execute(text("""
        SELECT o.name, count(*) FROM findings f LEFT JOIN districts o ON o.id = f.ortsteil_id
        WHERE f.walk_id = :walk GROUP BY o.name ORDER BY count(*) DESC, o.name
    """), {"walk": results.walk_id}).all()
    assert [(row["name"], row["count"]) for row in counts["by_ortsteil"]] == [tuple(row) for row in expected]
    assert sum(row["count"] for row in counts["by_ortsteil"]) == 3


def test_counts_of_a_walk_without_findings(session):
    counts = queries.counts(session, make_walk(session))
    assert counts == {"findings": 0, "participants": 0, "concerns": 0, "resolved": 0,
                      "by_category": [], "by_ortsteil": []}


def test_geojson_holds_only_the_walks_findings_and_only_approved_text(session):
    results = walk_with_results(session)
    pending, approved = results.findings[:2]
    for finding, state in ((pending, "pending"), (approved, "approved")):
        session.execute(text("UPDATE findings SET text_moderation = :state WHERE id = :id"),
                        {"state": state, "id": finding})
    session.commit()
    collection = json.loads(queries.findings_geojson(session, results.walk_id, {"empty_shop": "Leerstand!"}))
    assert {feature["id"] for feature in collection["features"]} == {str(f) for f in results.findings}
    by_id = {feature["id"]: feature for feature in collection["features"]}
    shop = by_id[str(pending)]
    assert shop["geometry"]["type"] == "Point"
    assert shop["properties"]["category_label"] == "Leerstand!"
    assert shop["properties"]["status"] == "confirmed"
    assert shop["properties"]["description"] is None  # awaiting moderation: not public
    assert by_id[str(approved)]["properties"]["description"] == "Schaufenster zugeklebt"
    assert "participant_id" not in shop["properties"]


def test_concerns_in_workflow_order_with_their_findings(session):
    results = walk_with_results(session)
    rows = queries.concerns(session, results.walk_id)
    assert [(row["title"], row["status"], row["findings"]) for row in rows] == [
        (CONCERN_TITLE, "confirmed", 2), (OTHER_TITLE, "confirmed", 1)]
    assert {row["title"]: row["public_message"] is not None for row in rows} == {CONCERN_TITLE: True, OTHER_TITLE: False}


def _photo(session, finding_id, moderation="approved", featured=False) -> uuid.UUID:
    sha = uuid.uuid4().hex * 2
    return session.execute(text("""
        INSERT INTO photos (id, finding_id, sha256, stored_sha256, width, height, moderation, featured)
        VALUES (:id, :finding, :sha, :sha, 800, 600, :moderation, :featured) RETURNING id
    """), {"id": uuid.uuid4(), "finding": finding_id, "sha": sha, "moderation": moderation,
           "featured": featured}).scalar()


def test_photos_featured_first_and_only_public_ones(session):
    results = walk_with_results(session)
    approved = [_photo(session, results.findings[0]) for _ in range(7)]
    _photo(session, results.findings[1], moderation="pending")
    hidden = _photo(session, results.findings[1], moderation="hidden", featured=True)
    session.commit()
    shown = queries.photos(session, results.walk_id)
    assert len(shown) == 6 and {row["id"] for row in shown} <= set(approved)

    featured = _photo(session, results.findings[2], featured=True)
    session.commit()
    assert [row["id"] for row in queries.photos(session, results.walk_id)] == [featured]
    assert hidden not in {row["id"] for row in queries.photos(session, results.walk_id)}


def test_publication_keeps_the_first_time_and_can_be_withdrawn(session):
    results = walk_with_results(session, publish=False)
    assert queries.publication(session, results.join_code)["published_at"] is None
    first = queries.set_published(session, results.walk_id, True)
    assert queries.set_published(session, results.walk_id, True) == first
    assert [w["join_code"] for w in queries.published_walks(session)] == [results.join_code]
    assert queries.set_published(session, results.walk_id, False) is None
    assert queries.published_walks(session) == []
