"""Clusters of findings for the teams: DBSCAN in PostGIS, per category, with filters and API."""
import json
import math
import uuid
from datetime import date

import pytest
from sqlalchemy import text

from mapapp.review.clusters.clustering import cluster_finding_ids, find_clusters
from tests.auth.helpers import log_in
from tests.factories import BISMARCKPLATZ, RHEINHAUSEN_MARKT, make_finding, make_team, make_user, make_walk


def offset(origin, north_m=0.0, east_m=0.0):
    """(lat, lon) ``north_m``/``east_m`` metres from ``origin`` (good to a few cm at this scale)."""
    lat, lon = origin
    return (lat + north_m / 111_320, lon + east_m / (111_320 * math.cos(math.radians(lat))))


def ring(session, origin, n=8, radius_m=15, **kwargs):
    """``n`` findings on a circle of ``radius_m`` around ``origin``: all within 2·radius of each other."""
    return [
        make_finding(session, *offset(origin, radius_m * math.sin(2 * math.pi * i / n),
                                      radius_m * math.cos(2 * math.pi * i / n)), **kwargs)
        for i in range(n)
    ]


def clusters_of(collection: str) -> list[dict]:
    return [f["properties"] for f in json.loads(collection)["features"] if f["properties"]["kind"] == "cluster"]


def singles_of(collection: str) -> list[dict]:
    return [f["properties"] for f in json.loads(collection)["features"] if f["properties"]["kind"] == "finding"]


def participant(session) -> uuid.UUID:
    pid = uuid.uuid4()
    session.execute(text("INSERT INTO participants (id) VALUES (:id)"), {"id": pid})
    return pid


def authored(session, finding_id, pid):
    session.execute(text("UPDATE findings SET participant_id = :p WHERE id = :id"), {"p": pid, "id": finding_id})


def confirm(session, finding_id, pid):
    session.execute(text("INSERT INTO confirmations (finding_id, participant_id) VALUES (:f, :p)"),
                    {"f": finding_id, "p": pid})


@pytest.fixture
def eight_and_two(session):
    """Eight pins within 15 m of Bismarckplatz; two more 200 m and 300 m north (100 m apart)."""
    eight = ring(session, BISMARCKPLATZ, category="cycle_path")
    far = [make_finding(session, *offset(BISMARCKPLATZ, north_m=d), category="cycle_path") for d in (200, 300)]
    return eight, far


def test_eight_pins_close_together_are_one_cluster_and_the_far_two_stay_single(session, eight_and_two):
    eight, far = eight_and_two
    collection = find_clusters(session)
    clusters, singles = clusters_of(collection), singles_of(collection)
    assert len(clusters) == 1
    cluster = clusters[0]
    assert cluster["count"] == 8
    assert sorted(cluster["finding_ids"]) == sorted(map(str, eight))
    assert cluster["category"] == "cycle_path" and cluster["key"].startswith("cycle_path:")
    lat, lon = cluster["centroid"]
    assert abs(lat - BISMARCKPLATZ[0]) < 0.0001 and abs(lon - BISMARCKPLATZ[1]) < 0.0001
    assert cluster["ortsteil"] == "Alt-Homberg"
    # A single finding comes with its key and category only: the page loads the rest when opened.
    assert sorted(s["key"] for s in singles) == sorted(map(str, far))
    assert all(s == {"kind": "finding", "key": s["key"], "category": "cycle_path"} for s in singles)
    body = json.loads(collection)
    assert (body["clusters"], body["unclustered"], body["findings"]) == (1, 2, 10)
    assert body["features"][0]["geometry"]["type"] == "Polygon"
    assert {f["geometry"]["type"] for f in body["features"][1:]} == {"Point"}


def test_the_far_two_form_their_own_cluster_when_within_eps(session):
    ring(session, BISMARCKPLATZ, category="cycle_path")
    far = [make_finding(session, *offset(BISMARCKPLATZ, north_m=d), category="cycle_path") for d in (200, 230)]
    clusters = clusters_of(find_clusters(session, eps_m=40))
    assert [c["count"] for c in clusters] == [8, 2]
    assert sorted(clusters[1]["finding_ids"]) == sorted(map(str, far))
    assert clusters[0]["key"] != clusters[1]["key"]


def test_eps_and_min_points_change_the_result(session, eight_and_two):
    assert [c["count"] for c in clusters_of(find_clusters(session, eps_m=120))] == [8, 2]
    assert [c["count"] for c in clusters_of(find_clusters(session, eps_m=200))] == [10]
    assert [c["count"] for c in clusters_of(find_clusters(session, eps_m=5))] == []
    assert [c["count"] for c in clusters_of(find_clusters(session, min_points=8))] == [8]
    nine = find_clusters(session, min_points=9)
    assert clusters_of(nine) == [] and len(singles_of(nine)) == 10
    assert len(clusters_of(find_clusters(session, min_points=1))) == 3


def test_different_categories_never_cluster_together(session):
    noise = ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="noise")
    shops = ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="empty_shop")
    clusters = clusters_of(find_clusters(session, eps_m=100))
    assert sorted((c["category"], sorted(c["finding_ids"])) for c in clusters) == sorted([
        ("noise", sorted(map(str, noise))), ("empty_shop", sorted(map(str, shops))),
    ])


def test_a_line_clusters_with_points_along_it(session):
    start, end = offset(BISMARCKPLATZ, east_m=-60), offset(BISMARCKPLATZ, east_m=60)
    line = json.dumps({"type": "LineString", "coordinates": [[start[1], start[0]], [end[1], end[0]]]})
    line_id = make_finding(session, geometry=line, category="cycle_path")
    points = [make_finding(session, *offset(BISMARCKPLATZ, north_m=10, east_m=e), category="cycle_path")
              for e in (-50, 50)]
    clusters = clusters_of(find_clusters(session, eps_m=20))
    assert [sorted(c["finding_ids"]) for c in clusters] == [sorted(map(str, [line_id, *points]))]


def test_participants_count_authors_and_plus_ones_once_each(session):
    busy = ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="noise")
    quiet = ring(session, RHEINHAUSEN_MARKT, n=3, radius_m=5, category="noise")
    a, b, c = participant(session), participant(session), participant(session)
    authored(session, busy[0], a)
    authored(session, busy[1], a)
    authored(session, busy[2], b)
    confirm(session, busy[0], c)
    confirm(session, busy[2], a)   # an author's +1 on another pin: still one person
    for finding in quiet:
        authored(session, finding, a)
    session.commit()
    clusters = clusters_of(find_clusters(session))
    assert [(c["count"], c["participants"], c["confirmations"]) for c in clusters] == [(3, 3, 2), (3, 1, 0)]
    assert sorted(clusters[0]["finding_ids"]) == sorted(map(str, busy))


def test_filters_by_walk_and_district(session):
    walk = make_walk(session)
    on_walk = ring(session, BISMARCKPLATZ, n=3, radius_m=5, walk_id=walk)
    ring(session, offset(BISMARCKPLATZ, north_m=500), n=2, radius_m=5)
    in_rheinhausen = ring(session, RHEINHAUSEN_MARKT, n=4, radius_m=5)

    def counts(**filters):
        return sorted(c["count"] for c in clusters_of(find_clusters(session, **filters)))

    assert counts() == [2, 3, 4]
    assert counts(walk_id=walk) == [3]
    assert sorted(clusters_of(find_clusters(session, walk_id=walk))[0]["finding_ids"]) == sorted(map(str, on_walk))
    assert counts(district="Alt-Homberg") == [2, 3]
    assert counts(district="402") == [2, 3]
    assert counts(district="6") == [4] == counts(district="Rheinhausen")
    assert sorted(clusters_of(find_clusters(session, district="6"))[0]["finding_ids"]) == sorted(map(str, in_rheinhausen))
    assert counts(district="703") == []


def test_filters_by_status_category_and_visible_categories(session):
    confirmed = ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="noise")
    ring(session, BISMARCKPLATZ, n=2, radius_m=5, category="litter")
    session.execute(text("UPDATE findings SET status = 'confirmed' WHERE id = ANY(:ids)"), {"ids": confirmed})
    session.commit()

    def cats(**filters):
        return sorted(c["category"] for c in clusters_of(find_clusters(session, **filters)))

    assert cats(statuses=["confirmed"]) == ["noise"]
    assert cats(statuses=["new", "in_review"]) == ["litter"]
    assert cats(categories=["litter", "cycle_path"]) == ["litter"]
    assert cats(visible_categories=["noise"]) == ["noise"]
    assert cats(visible_categories=[]) == []
    assert cats(categories=["litter"], visible_categories=["noise"]) == []


def test_filters_by_whole_days_in_duisburg_time(session):
    early = ring(session, BISMARCKPLATZ, n=2, radius_m=5)
    late = ring(session, RHEINHAUSEN_MARKT, n=2, radius_m=5)
    # 22:30 UTC on 12 September is half past midnight on the 13th in Duisburg.
    session.execute(text("UPDATE findings SET created_at = '2026-09-12T21:30:00Z' WHERE id = ANY(:ids)"), {"ids": early})
    session.execute(text("UPDATE findings SET created_at = '2026-09-12T22:30:00Z' WHERE id = ANY(:ids)"), {"ids": late})
    session.commit()

    def ids(**filters):
        return sorted(i for c in clusters_of(find_clusters(session, **filters)) for i in c["finding_ids"])

    assert ids(date_from=date(2026, 9, 13)) == sorted(map(str, late))
    assert ids(date_to=date(2026, 9, 12)) == sorted(map(str, early))
    assert ids(date_from=date(2026, 9, 12), date_to=date(2026, 9, 13)) == sorted(map(str, early + late))
    assert ids(date_from=date(2026, 9, 14)) == []


def test_findings_already_in_a_concern_are_left_out_unless_asked_for(session):
    grouped = ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="noise")
    concern = uuid.uuid4()
    session.execute(text("""
        INSERT INTO concerns (id, title, category_slug, geom, status)
        VALUES (:id, 'Lärm am Bismarckplatz', 'noise', ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 'in_review')
    """), {"id": concern, "lat": BISMARCKPLATZ[0], "lon": BISMARCKPLATZ[1]})
    session.execute(text("UPDATE findings SET concern_id = :c WHERE id = ANY(:ids)"), {"c": concern, "ids": grouped[:2]})
    session.commit()
    assert [c["count"] for c in clusters_of(find_clusters(session))] == []
    assert [s["key"] for s in singles_of(find_clusters(session))] == [str(grouped[2])]
    assert [c["count"] for c in clusters_of(find_clusters(session, include_in_concern=True))] == [3]
    # With concerns included, their status counts.
    assert clusters_of(find_clusters(session, include_in_concern=True, statuses=["in_review"]))[0]["count"] == 2


def test_keys_are_stable_and_name_the_members(session, eight_and_two):
    eight, _far = eight_and_two
    key = clusters_of(find_clusters(session))[0]["key"]
    assert clusters_of(find_clusters(session))[0]["key"] == key
    assert sorted(cluster_finding_ids(session, key)) == sorted(eight)
    assert cluster_finding_ids(session, "cycle_path:99") is None
    assert cluster_finding_ids(session, key, eps_m=5) is None


def test_no_findings_is_an_empty_collection(session):
    assert json.loads(find_clusters(session)) == {
        "type": "FeatureCollection", "clusters": 0, "unclustered": 0, "findings": 0, "offset": 0,
        "next_offset": None, "features": []}


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_the_answer_comes_in_pages_clusters_first(session, eight_and_two, limit):
    """Pages of ``limit`` Features in the order of the whole answer (also a page holding the last
    cluster and the first single findings); the totals count everything."""
    ring(session, offset(BISMARCKPLATZ, north_m=-400), n=3, radius_m=5, category="noise")
    whole = json.loads(find_clusters(session))["features"]
    pages, offset_ = [], 0
    while offset_ is not None:
        page = json.loads(find_clusters(session, limit=limit, offset=offset_))
        assert (page["clusters"], page["unclustered"], page["findings"]) == (2, 2, 13)
        assert len(page["features"]) <= limit
        pages += page["features"]
        offset_ = page["next_offset"]
    assert len(pages) == 4 and pages == whole
    assert [p["properties"]["kind"] for p in pages] == ["cluster", "cluster", "finding", "finding"]
    assert json.loads(find_clusters(session, limit=2, offset=3))["next_offset"] is None


def test_a_cluster_across_an_ortsteil_border_takes_its_most_common_ortsteil(session):
    """Five pins 12 m around a vertex of Alt-Homberg's border: the Ortsteil most of them are in."""
    lon, lat = session.execute(text("""
        SELECT ST_X(p), ST_Y(p) FROM districts d, ST_PointN(ST_ExteriorRing(ST_GeometryN(d.geom, 1)), 5) AS p
        WHERE d.level = 'ortsteil' AND d.name = 'Alt-Homberg'""")).one()
    ids = ring(session, (lat, lon), n=5, radius_m=12, category="noise")
    names = session.execute(text("""
        SELECT o.name, o.id FROM findings f JOIN districts o ON o.id = f.ortsteil_id WHERE f.id = ANY(:ids)"""),
        {"ids": ids}).all()
    counts = {}
    for name, district_id in names:
        counts[(name, district_id)] = counts.get((name, district_id), 0) + 1
    assert len(counts) >= 2, counts  # the pins do straddle the border (ties go to the smaller id)
    expected = min(counts, key=lambda key: (-counts[key], key[1]))[0]
    assert clusters_of(find_clusters(session))[0]["ortsteil"] == expected


def test_people_and_confirmations_of_a_cluster(session, eight_and_two):
    """Authors and those who gave a +1 count once each; every +1 counts."""
    eight, _far = eight_and_two
    people = [participant(session) for _ in range(3)]
    session.execute(text("UPDATE findings SET participant_id = :p WHERE id = ANY(:ids)"),
                    {"p": people[0], "ids": eight[:4]})
    for finding, voter in ((eight[0], people[1]), (eight[1], people[1]), (eight[2], people[2]), (eight[3], people[0])):
        session.execute(text("INSERT INTO confirmations (finding_id, participant_id) VALUES (:f, :p)"),
                        {"f": finding, "p": voter})
    session.commit()
    cluster = clusters_of(find_clusters(session))[0]
    assert (cluster["count"], cluster["participants"], cluster["confirmations"]) == (8, 3, 4)


# ---- API ---------------------------------------------------------------------------------


@pytest.fixture
def noise_team_member(session, client):
    member = make_user(session, "laerm", role="team_member")
    make_team(session, "Team Lärm", categories=("noise",), members=[member.id])
    return member


def test_a_team_member_gets_only_their_categories(session, client, noise_team_member):
    noise = ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="noise")
    ring(session, BISMARCKPLATZ, n=4, radius_m=5, category="cycle_path")
    make_finding(session, *RHEINHAUSEN_MARKT, category="cycle_path")
    log_in(client, "laerm")
    response = client.get("/api/review/clusters?eps=40&min=2")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.get_json()
    assert [(f["properties"]["category"], f["properties"]["count"]) for f in body["features"]] == [("noise", 3)]
    assert sorted(body["features"][0]["properties"]["finding_ids"]) == sorted(map(str, noise))
    # Asking for another team's category gives nothing, not an error.
    assert client.get("/api/review/clusters?category=cycle_path").get_json()["features"] == []


def test_an_organiser_gets_every_category(session, client):
    make_user(session, "orga")
    ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="noise")
    ring(session, BISMARCKPLATZ, n=4, radius_m=5, category="cycle_path")
    log_in(client, "orga")
    body = client.get("/api/review/clusters?category=noise,cycle_path").get_json()
    assert [(f["properties"]["category"], f["properties"]["count"]) for f in body["features"]] == [
        ("cycle_path", 4), ("noise", 3)]


def test_participants_and_anonymous_visitors_get_nothing(session, client):
    ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="noise")
    assert client.get("/api/review/clusters").status_code == 401
    assert client.get("/api/review/findings?ids=" + str(uuid.uuid4())).status_code == 401
    page = client.get("/review/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    client.get("/")  # now with a participant cookie
    assert client.get("/api/review/clusters").status_code == 401


@pytest.mark.parametrize("query, field", [
    ("eps=0", "eps"), ("eps=501", "eps"), ("eps=abc", "eps"), ("eps=nan", "eps"),
    ("min=0", "min"), ("min=51", "min"), ("min=2.5", "min"),
    ("walk=not-a-uuid", "walk"), (f"walk={uuid.uuid4()}", "walk"), ("district=Atlantis", "district"),
    ("category=noise,volcano", "category"), ("status=forgotten", "status"),
    ("from=2026-13-01", "from"), ("to=12.09.2026", "to"), ("from=2026-09-13&to=2026-09-12", "to"),
])
def test_bad_parameters_are_refused_naming_the_field(session, client, query, field):
    make_user(session, "orga")
    log_in(client, "orga")
    response = client.get(f"/api/review/clusters?{query}")
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == [field]


def test_the_bounds_of_eps_and_min_are_allowed(session, client):
    make_user(session, "orga")
    log_in(client, "orga")
    assert client.get("/api/review/clusters?eps=1&min=1").status_code == 200
    assert client.get("/api/review/clusters?eps=500&min=50&status=new,duplicate&district=402").status_code == 200


def test_member_findings_by_ids_and_by_key(session, client, noise_team_member):
    noise = ring(session, BISMARCKPLATZ, n=3, radius_m=5, category="noise")
    session.execute(text("UPDATE findings SET description = '<b>laut</b>' WHERE id = :id"), {"id": noise[0]})
    other = make_finding(session, category="cycle_path", description="Schlagloch")
    session.commit()
    log_in(client, "laerm")
    ids = ",".join(map(str, [*noise, other]))
    body = client.get(f"/api/review/findings?ids={ids}").get_json()
    assert sorted(f["id"] for f in body["features"]) == sorted(map(str, noise))
    first = next(f for f in body["features"] if f["id"] == str(noise[0]))
    assert first["properties"]["description"] == "<b>laut</b>"
    assert first["properties"]["photos"] == [] and first["properties"]["confirmations"] == 0

    key = client.get("/api/review/clusters?eps=30").get_json()["features"][0]["properties"]["key"]
    members = client.get(f"/api/review/clusters/{key}/findings?eps=30").get_json()
    assert sorted(f["id"] for f in members["features"]) == sorted(map(str, noise))
    assert client.get(f"/api/review/clusters/{key}/findings?eps=1").status_code == 404
    assert client.get("/api/review/clusters/cycle_path:0/findings").status_code == 404


@pytest.mark.parametrize("ids", ["", "nonsense", ",".join(str(uuid.uuid4()) for _ in range(1001))])
def test_findings_by_ids_refuses_bad_lists(session, client, ids):
    make_user(session, "orga")
    log_in(client, "orga")
    response = client.get(f"/api/review/findings?ids={ids}")
    assert response.status_code == 422 and list(response.get_json()["fields"]) == ["ids"]


def test_the_review_page_renders_for_a_team_member(session, client, noise_team_member):
    make_walk(session, title="Rundgang Hochfeld")
    log_in(client, "laerm")
    page = client.get("/review/")
    assert page.status_code == 200
    html = page.text
    assert "Rundgang Hochfeld" in html and "Als Anliegen übernehmen" in html
    assert 'value="noise"' in html and 'value="cycle_path"' not in html
    assert 'value="402"' in html
    config = json.loads(html.split('<script type="application/json" id="review-config">', 1)[1].split("</script>", 1)[0])
    assert config["api"] == {"clusters": "/api/review/clusters", "findings": "/api/review/findings",
                             "concerns": "/api/review/concerns", "districts": "/api/districts"}
    assert config["categories"] == [{"slug": "noise", "label": "Lärm", "icon": "🔊"}]
    assert "csrf_token" in config
    assert " style=" not in html and "onclick" not in html
    for tag in html.split("<script")[1:]:
        assert ' src="' in tag.split(">", 1)[0] or 'type="application/json"' in tag.split(">", 1)[0]

