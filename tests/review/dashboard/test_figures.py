"""The dashboard: counts per district, density per km², findings per walk, the framed map and its CSP."""
import base64
import hashlib
import json
import re
import uuid
from datetime import date, datetime, timezone

import pytest
from pyproj import Transformer
import shapely
from shapely.geometry import shape
from sqlalchemy import text

from mapapp.review.dashboard import figures as dashboard
from mapapp.review.dashboard.choropleth import MapTexts, choropleth_document, document_policy
from mapapp.security import content_security_policy
from tests.auth.helpers import log_in
from tests.factories import (
    AFRIKA_SIEDLUNG, BISMARCKPLATZ, HAUPTBAHNHOF, RHEINHAUSEN_MARKT, make_finding, make_team, make_user, make_walk,
)

HOMBERG, RHEINHAUSEN, MITTE, ALT_HOMBERG = "4", "6", "5", "402"


def make_concern(session, status, at=BISMARCKPLATZ, category="empty_shop", findings=()):
    """A concern straight in the table (the trigger places it), grouping ``findings``."""
    concern_id = session.execute(text("""
        INSERT INTO concerns (id, title, category_slug, geom, status)
        VALUES (:id, 'Anliegen', :category, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :status) RETURNING id
    """), {"id": uuid.uuid4(), "category": category, "lat": at[0], "lon": at[1], "status": status}).scalar_one()
    session.execute(text("UPDATE findings SET concern_id = :c WHERE id = ANY(:ids)"),
                    {"c": concern_id, "ids": list(findings)})
    session.commit()
    return concern_id


def set_created_at(session, finding_id, moment: datetime):
    session.execute(text("UPDATE findings SET created_at = :at WHERE id = :id"), {"at": moment, "id": finding_id})
    session.commit()


def rows_by_code(table):
    return {row["code"]: row for row in table["rows"]}


@pytest.fixture
def findings(session):
    """Homberg (Alt-Homberg): 2 empty shops + 1 noise, on a walk; Rheinhausen: 1 noise; Mitte: 1 empty shop."""
    walk = make_walk(session)
    ids = {
        "shop1": make_finding(session, walk_id=walk),
        "shop2": make_finding(session, walk_id=walk),
        "noise": make_finding(session, category="noise", walk_id=walk),
        "rheinhausen": make_finding(session, *RHEINHAUSEN_MARKT, category="noise"),
        "mitte": make_finding(session, *HAUPTBAHNHOF),
    }
    session.commit()
    return walk, ids


def test_table_counts_findings_per_stadtbezirk_and_category(session, findings):
    table = dashboard.district_table(session, level="stadtbezirk")
    rows = rows_by_code(table)

    assert [row["level"] for row in table["rows"]] == ["stadtbezirk"] * 7
    assert rows[HOMBERG]["findings"] == {"empty_shop": 2, "noise": 1}
    assert rows[HOMBERG]["findings_total"] == 3
    assert rows[RHEINHAUSEN]["findings"] == {"noise": 1}
    assert rows[MITTE]["findings"] == {"empty_shop": 1}
    assert rows["1"]["findings"] == {} and rows["1"]["findings_total"] == 0
    assert table["totals"]["findings"] == {"empty_shop": 3, "noise": 2}
    assert table["totals"]["findings_total"] == 5
    assert {"empty_shop", "noise", "cycle_path"} <= {c["slug"] for c in table["categories"]}


def test_ortsteil_level_lists_each_stadtbezirk_followed_by_its_ortsteile(session, findings):
    table = dashboard.district_table(session, level="ortsteil")
    rows = rows_by_code(table)
    codes = [row["code"] for row in table["rows"]]

    assert rows[ALT_HOMBERG]["level"] == "ortsteil"
    assert rows[ALT_HOMBERG]["findings"] == {"empty_shop": 2, "noise": 1}
    assert rows[HOMBERG]["findings_total"] == 3
    assert codes.index(HOMBERG) < codes.index(ALT_HOMBERG) < codes.index(MITTE)
    homberg_ortsteile = [row["code"] for row in table["rows"] if row["parent_id"] == rows[HOMBERG]["id"]]
    assert codes[codes.index(HOMBERG) + 1: codes.index(HOMBERG) + 1 + len(homberg_ortsteile)] == homberg_ortsteile
    assert table["totals"]["findings_total"] == 5


def test_table_counts_concerns_by_status(session, findings):
    _walk, ids = findings
    make_concern(session, "new", findings=[ids["shop1"]])
    make_concern(session, "confirmed", findings=[ids["shop2"]])
    make_concern(session, "confirmed")
    make_concern(session, "rejected", at=RHEINHAUSEN_MARKT, category="noise", findings=[ids["rheinhausen"]])

    table = dashboard.district_table(session, level="ortsteil")
    rows = rows_by_code(table)

    assert rows[HOMBERG]["concerns"] == {"new": 1, "confirmed": 2}
    assert rows[HOMBERG]["concerns_total"] == 3
    assert rows[ALT_HOMBERG]["concerns"] == {"new": 1, "confirmed": 2}
    assert rows[RHEINHAUSEN]["concerns"] == {"rejected": 1}
    assert rows[MITTE]["concerns_total"] == 0
    assert table["totals"]["concerns"] == {"new": 1, "confirmed": 2, "rejected": 1}
    assert table["totals"]["concerns_total"] == 4
    assert table["statuses"][-1] == "duplicate"


def test_walk_filter_counts_the_walks_findings_and_their_concerns(session, findings):
    walk, ids = findings
    make_concern(session, "in_review", findings=[ids["shop1"]])
    make_concern(session, "confirmed")  # no finding: belongs to no walk
    make_concern(session, "rejected", at=RHEINHAUSEN_MARKT, category="noise", findings=[ids["rheinhausen"]])

    table = dashboard.district_table(session, level="stadtbezirk", walk_id=walk)
    rows = rows_by_code(table)

    assert rows[HOMBERG]["findings"] == {"empty_shop": 2, "noise": 1}
    assert rows[RHEINHAUSEN]["findings_total"] == 0 and rows[MITTE]["findings_total"] == 0
    assert table["totals"]["findings_total"] == 3
    assert table["totals"]["concerns"] == {"in_review": 1}
    other = dashboard.district_table(session, level="stadtbezirk", walk_id=uuid.uuid4())
    assert other["totals"]["findings_total"] == 0 and other["totals"]["concerns_total"] == 0


def test_date_filter_takes_whole_days_in_duisburg_time(session, findings):
    _walk, ids = findings
    # 1 March 2026, 23:30 in Duisburg (CET) is 22:30 UTC; 2 March, 00:30 there is 23:30 UTC on the 1st.
    set_created_at(session, ids["shop1"], datetime(2026, 3, 1, 22, 30, tzinfo=timezone.utc))
    set_created_at(session, ids["shop2"], datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc))
    set_created_at(session, ids["rheinhausen"], datetime(2026, 2, 28, 23, 0, tzinfo=timezone.utc))
    for key in ("noise", "mitte"):
        set_created_at(session, ids[key], datetime(2026, 4, 1, 12, tzinfo=timezone.utc))
    make_concern(session, "new", findings=[ids["shop1"]])
    make_concern(session, "new", findings=[ids["shop2"]])

    first = dashboard.district_table(session, level="stadtbezirk", date_from=date(2026, 3, 1),
                                     date_to=date(2026, 3, 1))
    assert first["totals"]["findings"] == {"empty_shop": 1, "noise": 1}
    assert rows_by_code(first)[RHEINHAUSEN]["findings"] == {"noise": 1}
    assert first["totals"]["concerns_total"] == 1

    second = dashboard.district_table(session, level="stadtbezirk", date_from=date(2026, 3, 2),
                                      date_to=date(2026, 3, 2))
    assert second["totals"]["findings"] == {"empty_shop": 1}
    assert second["totals"]["concerns_total"] == 1
    since = dashboard.district_table(session, level="stadtbezirk", date_from=date(2026, 3, 2))
    assert since["totals"]["findings"] == {"empty_shop": 2, "noise": 1}  # shop2, Mitte and the walk's noise


def test_visible_categories_restrict_columns_findings_and_concerns(session, findings):
    _walk, ids = findings
    make_concern(session, "new", findings=[ids["shop1"]])
    make_concern(session, "new", at=RHEINHAUSEN_MARKT, category="noise", findings=[ids["rheinhausen"]])

    table = dashboard.district_table(session, level="stadtbezirk", visible_categories=["noise"])

    assert [c["slug"] for c in table["categories"]] == ["noise"]
    assert table["totals"]["findings"] == {"noise": 2}
    assert rows_by_code(table)[RHEINHAUSEN]["concerns"] == {"new": 1}
    assert table["totals"]["concerns_total"] == 1
    nothing = dashboard.district_table(session, level="stadtbezirk", visible_categories=[])
    assert nothing["categories"] == [] and nothing["totals"]["findings_total"] == 0


def area_km2_by_pyproj(session, code: str) -> float:
    """The district's area computed here, without PostGIS: shapely in EPSG:25832 via pyproj."""
    geojson = session.execute(text("SELECT ST_AsGeoJSON(geom, 15) FROM districts WHERE code = :c"), {"c": code}).scalar()
    to_utm = Transformer.from_crs(4326, 25832, always_xy=True).transform
    return shapely.transform(shape(json.loads(geojson)), to_utm, interleaved=False).area / 1e6


def test_density_is_findings_per_square_kilometre(session, findings):
    collection = json.loads(dashboard.density_geojson(session, level="stadtbezirk"))
    by_code = {f["properties"]["code"]: f for f in collection["features"]}

    assert len(by_code) == 7
    homberg = by_code[HOMBERG]
    area = area_km2_by_pyproj(session, HOMBERG)
    assert homberg["properties"]["area_km2"] == pytest.approx(area, rel=1e-6)
    assert homberg["properties"]["findings"] == 3
    assert homberg["properties"]["density"] == pytest.approx(3 / area, rel=1e-6)
    assert homberg["geometry"]["type"] == "MultiPolygon"
    assert by_code["1"]["properties"]["density"] == 0
    west, south, east, north = collection["bbox"]
    assert west < BISMARCKPLATZ[1] < east and south < AFRIKA_SIEDLUNG[0] < north


def test_density_by_ortsteil_with_filters(session, findings):
    walk, _ids = findings
    collection = json.loads(dashboard.density_geojson(session, level="ortsteil", walk_id=walk,
                                                      visible_categories=["empty_shop"]))
    by_code = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    area = area_km2_by_pyproj(session, ALT_HOMBERG)
    assert by_code[ALT_HOMBERG]["findings"] == 2
    assert by_code[ALT_HOMBERG]["density"] == pytest.approx(2 / area, rel=1e-6)
    assert sum(p["findings"] for p in by_code.values()) == 2


def test_findings_per_walk_in_order_of_time(session):
    later = make_walk(session, title="Später")
    earlier = make_walk(session, title="Früher")
    empty = make_walk(session, title="Ohne Funde")
    session.execute(text("UPDATE walks SET starts_at = :at WHERE id = :id"),
                    [{"at": datetime(2026, 5, 1, 10, tzinfo=timezone.utc), "id": earlier},
                     {"at": datetime(2026, 6, 1, 10, tzinfo=timezone.utc), "id": empty}])
    session.commit()
    make_finding(session, walk_id=later)
    make_finding(session, walk_id=later, category="noise")
    make_finding(session, walk_id=earlier)
    session.commit()

    rows = dashboard.findings_per_walk(session)
    assert [(r["title"], r["findings"]) for r in rows] == [("Früher", 1), ("Ohne Funde", 0), ("Später", 2)]
    assert rows[0]["walk_id"] == earlier and rows[0]["starts_at"].year == 2026
    noise = dashboard.findings_per_walk(session, visible_categories=["noise"])
    assert [r["findings"] for r in noise] == [0, 0, 1]
    may = dashboard.findings_per_walk(session, date_from=date(2026, 5, 1), date_to=date(2026, 5, 31))
    assert [r["title"] for r in may] == ["Früher"]
    assert [r["title"] for r in dashboard.findings_per_walk(session, walk_id=later)] == ["Später"]


# ---- pages ---------------------------------------------------------------------------


def table_cell(html: str, district: str, column: int) -> str:
    """The text of a body cell of the district table, by district code and column position."""
    row = re.search(rf'<tr[^>]*data-district="{district}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return cells[column].strip()


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in ("/review/dashboard", "/review/dashboard/map"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_organiser_sees_the_table_the_map_frame_and_the_chart(client, session, findings):
    walk, _ids = findings
    session.execute(text("UPDATE walks SET title = '<b>Rundgang</b>' WHERE id = :id"), {"id": walk})
    session.commit()
    make_user(session, "orga")
    log_in(client)

    page = client.get(f"/review/dashboard?walk={walk}&level=ortsteil")
    html = page.text
    assert page.status_code == 200
    assert f'<iframe class="dashboard-map" src="/review/dashboard/map?level=ortsteil&amp;walk={walk}"' in html
    categories = re.findall(r'data-category="([^"]+)"', html)
    findings_total = len(categories) + 1  # after the name and one column per category
    assert table_cell(html, ALT_HOMBERG, findings_total) == "3"
    assert table_cell(html, "total", findings_total) == "3"
    assert table_cell(html, "total", 1 + categories.index("empty_shop")) == "2"
    assert '<svg class="bar-chart" role="img"' in html
    assert "&lt;b&gt;Rundgang&lt;/b&gt;" in html and "<b>Rundgang" not in html
    assert page.headers["Content-Security-Policy"] == content_security_policy("")


def test_team_member_sees_only_their_categories(client, session, findings):
    rita = make_user(session, "rita", role="team_member")
    make_team(session, "Lärm", ["noise"], members=[rita.id])
    log_in(client, "rita")

    html = client.get("/review/dashboard").text
    assert re.findall(r'data-category="([^"]+)"', html) == ["noise"]
    assert table_cell(html, HOMBERG, 1) == "1"
    assert table_cell(html, "total", 2) == "2"

    collection = client.get("/review/dashboard/map").text
    assert "1 Fund" in collection and "3 Funde" not in collection


# ---- the folium document ---------------------------------------------------------------


def inline_scripts(html: str) -> list[str]:
    return [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S) if "src=" not in attrs]


def sha256_source(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.fixture
def evil_district_name(session):
    """Homberg named like an attack for one test, then back."""
    old = session.execute(text("SELECT name FROM districts WHERE code = :c"), {"c": HOMBERG}).scalar()
    session.execute(text("UPDATE districts SET name = :n WHERE code = :c"),
                    {"n": "<img src=x onerror=alert(1)>`${alert(2)}`", "c": HOMBERG})
    session.commit()
    yield
    session.rollback()
    session.execute(text("UPDATE districts SET name = :n WHERE code = :c"), {"n": old, "c": HOMBERG})
    session.commit()


def test_map_document_uses_our_leaflet_and_allows_exactly_its_inline_scripts(client, session, findings,
                                                                           evil_district_name):
    make_user(session, "orga")
    log_in(client)
    response = client.get("/review/dashboard/map?level=stadtbezirk")
    html = response.text
    assert response.status_code == 200 and response.mimetype == "text/html"

    sources = re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"", html) + re.findall(r"<link[^>]*\bhref=\"([^\"]*)\"", html)
    assert sorted(s.split("?v=")[0] for s in sources) == ["/vendor/leaflet/leaflet.css", "/vendor/leaflet/leaflet.js"]
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
    assert [tag for tag in tags if "http" in tag or "//cdn" in tag] == []
    assert "tileLayer" not in html  # TILE_URL is empty in tests

    policy = directives(response.headers["Content-Security-Policy"])
    scripts = inline_scripts(html)
    assert len(scripts) >= 2
    assert policy["script-src"].split() == ["'self'"] + [sha256_source(body) for body in scripts]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'self'"
    app_policy = directives(content_security_policy(""))
    for name in app_policy.keys() - {"script-src", "style-src", "frame-ancestors"}:
        assert policy[name] == app_policy[name], name
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert policy["style-src"].split() == ["'self'"] + [sha256_source(body) for body in styles]

    labels = [json.loads(f'"{raw}"') for raw in re.findall(r'"label_html": "((?:[^"\\]|\\.)*)"', html)]
    evil = next(label for label in labels if "alert(1)" in label)
    assert evil.startswith("<strong>&lt;img src=x onerror=alert(1)&gt;`${alert(2)}`</strong><br>3 Funde")
    assert "<img" not in html
    assert 'class="map-legend"' in html and "Funde je km²" in html


def test_map_document_with_tiles_allows_the_tile_host_for_images_only():
    osm = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    geojson = json.dumps({"type": "FeatureCollection", "bbox": None, "features": []})
    texts = MapTexts(lang="de", title="Karte", legend_title="Funde je km²", no_findings="keine Funde",
                     describe=lambda props: "", number=str)
    html = choropleth_document(geojson, texts=texts, leaflet_js="/vendor/leaflet/leaflet.js",
                               leaflet_css="/vendor/leaflet/leaflet.css", center=[51.43, 6.75], zoom=12,
                               tiles={"url": osm, "attribution": "OSM", "max_zoom": 19})
    policy = directives(document_policy(content_security_policy(osm), html))
    assert osm in html
    assert "https://tile.openstreetmap.org" in policy["img-src"]
    assert "http" not in policy["script-src"] and "http" not in policy["style-src"]
