"""One finding filter: the same filter selects the same findings on the map, in the viewport and
the tiles, in the clusters, on the dashboard (district table, density map, findings per walk), in
the exports (findings, concerns, walks) and in the Open311 list, with days cut at midnight in
Duisburg (CET and CEST, the day of the switch included)."""
import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import mapbox_vector_tile
import pytest
from sqlalchemy import text

from mapapp.exports import load_formats
from mapapp.exports.params import parse_selection
from mapapp.exports.selection import walk_rows_sql
from mapapp.findings.filters import FindingFilter, parse_filter, where_sql
from mapapp.errors import ValidationFailed
from mapapp.review.dashboard import figures as dashboard
from mapapp.review.dashboard.routes import parse_filters as dashboard_filters
from tests.auth.helpers import log_in, make_account
from tests.factories import BISMARCKPLATZ, RHEINHAUSEN_MARKT, make_finding, make_walk
from tests.mapdata.conftest import tile_of

DUISBURG = ZoneInfo("Europe/Berlin")
# (label, local time in Duisburg): just before and after midnight, in winter time (CET), on the
# day the clocks go forward (29 March 2026, 23 hours long) and in summer time (CEST).
MOMENTS = [
    ("mar01_2330", datetime(2026, 3, 1, 23, 30)), ("mar02_0030", datetime(2026, 3, 2, 0, 30)),
    ("mar02_2330", datetime(2026, 3, 2, 23, 30)), ("mar28_2330", datetime(2026, 3, 28, 23, 30)),
    ("mar29_0030", datetime(2026, 3, 29, 0, 30)), ("mar29_2330", datetime(2026, 3, 29, 23, 30)),
    ("mar30_2330", datetime(2026, 3, 30, 23, 30)), ("mar31_0030", datetime(2026, 3, 31, 0, 30)),
    ("mar31_2330", datetime(2026, 3, 31, 23, 30)),
]
PLACES = {"homberg": BISMARCKPLATZ, "rheinhausen": RHEINHAUSEN_MARKT}
VIEW = {"bbox": "6.69,51.395,6.72,51.46", "zoom": "16"}  # both places, zoomed in
OPEN311_ALL = {"start_date": "2026-02-20", "end_date": "2026-04-10"}


@pytest.fixture
def midnight(session):
    """Per moment two findings, one per place; category, status and walk vary with the index.

    Returns {name: id}, the names ``<moment>_<place>``, plus ``walk`` and the Stadtbezirke's
    ``districts`` {place: (code, name)}.
    """
    walk = make_walk(session)
    ids = {}
    for m, (label, local) in enumerate(MOMENTS):
        for p, (place, (lat, lon)) in enumerate(PLACES.items()):
            name = f"{label}_{place}"
            ids[name] = make_finding(session, lat + m * 0.0001, lon, category=("empty_shop", "noise")[(m + p) % 2],
                                     walk_id=walk if (m + 2 * p) % 3 == 0 else None)
            session.execute(text("UPDATE findings SET created_at = :at, status = :status WHERE id = :id"), {
                "at": local.replace(tzinfo=DUISBURG), "status": ("new", "resolved")[(m // 2 + p) % 2],
                "id": ids[name]})
    session.commit()
    districts = {}
    for place in PLACES:
        [districts[place]] = set(session.execute(text(
            "SELECT s.code, s.name FROM findings f JOIN districts s ON s.id = f.stadtbezirk_id WHERE f.id = ANY(:ids)"),
            {"ids": [i for name, i in ids.items() if name.endswith(place)]}).all())
    return {"ids": ids, "walk": str(walk), "districts": districts}


def _row(session, name_id):
    return session.execute(text(
        "SELECT category_slug, status, walk_id IS NOT NULL AS on_walk FROM findings WHERE id = :id"),
        {"id": name_id}).one()


def on_walk_ids(session) -> set[str]:
    return {str(i) for i in session.execute(text("SELECT id FROM findings WHERE walk_id IS NOT NULL")).scalars()}


@pytest.fixture
def grouped(session, midnight) -> dict[str, str]:
    """Each finding in a concern of its own made at the same moment, with its category, status and place.

    Returns {finding id: concern id}.
    """
    concerns = {}
    for finding_id in midnight["ids"].values():
        concerns[str(finding_id)] = str(session.execute(text("""
            INSERT INTO concerns (id, title, summary, category_slug, geom, status, created_at)
            SELECT gen_random_uuid(), 'Anliegen', '', category_slug, geom, status, created_at
            FROM findings WHERE id = :id RETURNING id"""), {"id": finding_id}).scalar_one())
        session.execute(text("UPDATE findings SET concern_id = :concern WHERE id = :id"),
                        {"concern": concerns[str(finding_id)], "id": finding_id})
    session.commit()
    return concerns


@pytest.fixture
def dated_walks(session, midnight) -> dict[str, tuple[str, datetime, bool]]:
    """Per moment a walk starting then, one per place in turn, and one not yet planned (no start:
    its creation counts) made at that moment. Returns {walk id: (place, local moment, planned)},
    the midnight fixture's walk (Alt-Homberg, 12 September 2026, 12:00) included."""
    walks = {midnight["walk"]: ("homberg", datetime(2026, 9, 12, 12), True)}
    for m, (label, local) in enumerate(MOMENTS):
        place = list(PLACES)[m % 2]
        for planned in (True, False):
            walk_id = str(make_walk(session, f"Rundgang {label}", *PLACES[place]))
            column = "starts_at" if planned else "created_at"
            session.execute(text(f"UPDATE walks SET {column} = :at{', starts_at = NULL' if not planned else ''} "
                                 "WHERE id = :id"), {"at": local.replace(tzinfo=DUISBURG), "id": walk_id})
            walks[walk_id] = (place, local, planned)
    session.commit()
    return walks


def _in_days(args: dict, day: str) -> bool:
    """Whether the Duisburg day ``day`` (YYYY-MM-DD) lies in the filter's ``from``/``to``."""
    return ("from" not in args or day >= args["from"]) and ("to" not in args or day <= args["to"])


# Each case: query parameters, placeholders filled in by _args; _expected says what they must take.
CASES = {
    "everything": {},
    "one_winter_day": {"from": "2026-03-02", "to": "2026-03-02"},
    "from_a_winter_day": {"from": "2026-03-02", "to": "2026-03-28"},
    "up_to_a_winter_day": {"to": "2026-03-01"},
    "the_day_clocks_go_forward": {"from": "2026-03-29", "to": "2026-03-29"},
    "a_summer_day_of_noise": {"from": "2026-03-31", "to": "2026-03-31", "category": "noise"},
    "district_name_in_capitals": {"district": "{district_name_upper}"},
    "district_code_and_closed": {"district": "{district_code}", "status": "resolved"},
    "new_shops_in_march": {"category": "empty_shop", "status": "new", "from": "2026-03-02", "to": "2026-03-30"},
    "walk_on_a_summer_day": {"walk": "{walk}", "from": "2026-03-30"},
}


def _args(case: dict, midnight) -> dict:
    code, name = midnight["districts"]["rheinhausen"]
    values = {"walk": midnight["walk"], "district_code": code, "district_name_upper": name.upper()}
    return {key: value.format(**values) for key, value in case.items()}


def _expected(session, midnight, args: dict) -> set[str]:
    """The ids the filter must take, worked out in Python from the local times."""
    wanted = set()
    for name, finding_id in midnight["ids"].items():
        label, place = name.rsplit("_", 1)
        day = dict(MOMENTS)[label].date().isoformat()
        row = _row(session, finding_id)
        checks = [
            _in_days(args, day),
            "category" not in args or row.category_slug == args["category"],
            "status" not in args or row.status == args["status"],
            "walk" not in args or row.on_walk,
            "district" not in args or place == "rheinhausen",
        ]
        if all(checks):
            wanted.add(str(finding_id))
    return wanted


def map_ids(client, args) -> set[str]:
    response = client.get("/api/findings", query_string=args)
    assert response.status_code == 200, response.data
    return {f["id"] for f in response.get_json()["features"]}


def viewport_ids(client, args) -> set[str]:
    body = client.get("/api/viewport", query_string=args | VIEW).get_json()
    assert body["mode"] == "findings"
    return {f["id"] for f in body["features"]}


def viewport_cell_total(client, args) -> int:
    body = client.get("/api/viewport", query_string=args | {"bbox": VIEW["bbox"], "zoom": "12"}).get_json()
    assert body["mode"] == "cells"
    return body["total"]


def _tiles(session, z: int) -> set[tuple[int, int]]:
    points = session.execute(text("SELECT ST_Y(geom), ST_X(geom) FROM findings")).all()
    return {tile_of(lat, lon, z)[:2] for lat, lon in points}


def tile_features(client, session, args, z: int) -> list[dict]:
    features = []
    for x, y in _tiles(session, z):
        response = client.get(f"/tiles/findings/{z}/{x}/{y}.mvt", query_string=args)
        assert response.status_code == 200
        if response.data:
            features += mapbox_vector_tile.decode(response.data).get("findings", {}).get("features", [])
    return features


def cluster_ids(client, args) -> set[str]:
    response = client.get("/api/review/clusters", query_string=args | {"eps": "40", "min": "2"})
    assert response.status_code == 200, response.data
    # A cluster names its findings; a single finding is its own key.
    return {i for feature in response.get_json()["features"]
            for i in feature["properties"].get("finding_ids", [feature["properties"]["key"]])}


def dashboard_count(session, args) -> int:
    level, flt, errors = dashboard_filters(args)
    assert not errors
    return dashboard.district_table(session, level=level, filter=flt)["totals"]["findings_total"]


def _selection(args, what="findings"):
    """The export's selection made from the CLI's options (lists, as click hands them over)."""
    return parse_selection(
        walk=args.get("walk"), district=args.get("district"), categories=[args["category"]] if "category" in args
        else [], statuses=[args["status"]] if "status" in args else [], date_from=args.get("from"),
        date_to=args.get("to"), what=what)


def _export(session, name: str, args, what="findings") -> bytes:
    selection = _selection(args, what)
    out = io.BytesIO()
    load_formats()[name].write(session, selection, out)
    return out.getvalue()


def export_ids(session, args, what="findings") -> tuple[set[str], set[str]]:
    geojson = {f["properties"]["id"] for f in json.loads(_export(session, "geojson", args, what))["features"]}
    rows = csv.DictReader(io.StringIO(_export(session, "csv", args, what).decode("utf-8-sig")))
    return geojson, {row["id"] for row in rows}


def export_walk_ids(session, args) -> set[str]:
    """The walks the GIS exports' walk layers take."""
    sql, params = walk_rows_sql(_selection(args))
    return {row.id for row in session.execute(text(sql), params)}


def density_total(session, args) -> int:
    level, flt, _errors = dashboard_filters(args)
    collection = json.loads(dashboard.density_geojson(session, level=level, filter=flt))
    return sum(feature["properties"]["findings"] for feature in collection["features"])


def per_walk(session, args) -> dict[str, int]:
    """The dashboard's findings per walk: {walk id: findings}."""
    _level, flt, _errors = dashboard_filters(args)
    return {str(row["walk_id"]): row["findings"] for row in dashboard.findings_per_walk(session, filter=flt)}


def open311_can_say(args) -> bool:
    """GeoReport has no walk or district to filter by."""
    return not {"walk", "district"} & args.keys()


def open311_ids(client, args) -> set[str]:
    """The GeoReport list with the filter in its own terms (our statuses are ``new`` = open and
    ``resolved`` = closed)."""
    query = {"start_date": args.get("from"), "end_date": args.get("to")}
    query = {k: v for k, v in query.items() if v} or OPEN311_ALL
    if "category" in args:
        query["service_code"] = args["category"]
    if "status" in args:
        query["status"] = {"new": "open", "resolved": "closed"}[args["status"]]
    response = client.get("/open311/v2/requests.json", query_string=query)
    assert response.status_code == 200, response.data
    return {r["service_request_id"] for r in response.get_json()}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_the_same_filter_selects_the_same_findings_everywhere(app, client, session, midnight, case):
    args = _args(CASES[case], midnight)
    expected = _expected(session, midnight, args)
    assert expected, "every case takes some findings"
    assert map_ids(client, args) == expected
    assert viewport_ids(client, args) == expected
    assert viewport_cell_total(client, args) == len(expected)
    assert {f["properties"]["id"] for f in tile_features(client, session, args, 16)} == expected
    assert sum(f["properties"]["count"] for f in tile_features(client, session, args, 12)) == len(expected)
    assert dashboard_count(session, args) == len(expected)
    assert density_total(session, args) == len(expected)
    assert sum(per_walk(session, args).values()) == len(expected & on_walk_ids(session))
    assert export_ids(session, args) == (expected, expected)
    if open311_can_say(args):
        assert open311_ids(client, args) == expected
    make_account(app, "orga")
    log_in(client, "orga")
    assert cluster_ids(client, args) == expected


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_the_same_filter_selects_the_concerns_and_walks_of_those_days(session, midnight, grouped, dated_walks, case):
    """Concerns by their own creation, category, status and place; walks (exports' walk layers, the
    dashboard's walks) by the day they start, else were made, and their place."""
    args = _args(CASES[case], midnight)
    expected = _expected(session, midnight, args)
    assert export_ids(session, args, what="concerns") == ({grouped[i] for i in expected},) * 2

    walks = {walk_id for walk_id, (place, local, _planned) in dated_walks.items()
             if _in_days(args, local.date().isoformat()) and ("district" not in args or place == "rheinhausen")
             and args.get("walk", walk_id) == walk_id}
    assert export_walk_ids(session, args) == walks

    starting = {walk_id for walk_id, (_place, local, planned) in dated_walks.items()
                if planned and _in_days(args, local.date().isoformat()) and args.get("walk", walk_id) == walk_id}
    with_findings = {midnight["walk"]} if expected & on_walk_ids(session) else set()
    dates = "from" in args or "to" in args
    listed = starting | with_findings if dates else {w for w in dated_walks if args.get("walk", w) == w}
    assert set(per_walk(session, args)) == listed


def test_a_day_is_cut_at_midnight_in_duisburg(session, midnight):
    """00:30 on 2 March in Duisburg is 23:30 UTC on 1 March: it belongs to 2 March."""
    ids = midnight["ids"]
    where, params = where_sql(FindingFilter(date_from=datetime(2026, 3, 2).date(), date_to=datetime(2026, 3, 2).date()))
    found = set(session.execute(text(f"SELECT f.id FROM findings f LEFT JOIN concerns k ON k.id = f.concern_id "
                                     f"WHERE {where}"), params).scalars())
    assert found == {ids[f"mar02_{t}_{p}"] for t in ("0030", "2330") for p in PLACES}


@pytest.mark.parametrize("args, field", [
    ({"from": "2.3.2026"}, "from"), ({"to": "2026-02-30"}, "to"), ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ({"status": "erledigt"}, "status"), ({"walk": "kein-rundgang"}, "walk"), ({"district": "x\x00"}, "district"),
])
def test_a_wrong_parameter_is_named_everywhere(app, client, session, args, field):
    with pytest.raises(ValidationFailed) as caught:
        parse_filter(args)
    assert field in caught.value.fields
    for url, more in (("/api/findings", {}), ("/api/viewport", VIEW), ("/tiles/findings/10/530/342.mvt", {})):
        response = client.get(url, query_string=args | more)
        assert response.status_code == 422, url
        body = response.get_json()
        assert body["error"] == "validation_failed" and body["message"] and field in body["fields"], url
    _level, _flt, errors = dashboard_filters(args)
    assert field in errors
    options = {"walk": args.get("walk"), "district": args.get("district"), "date_from": args.get("from"),
               "date_to": args.get("to"), "statuses": [args["status"]] if "status" in args else []}
    with pytest.raises(ValidationFailed) as caught:
        parse_selection(**options)
    assert field in caught.value.fields
    make_account(app, "orga")
    log_in(client, "orga")
    response = client.get("/api/review/clusters", query_string=args)
    assert response.status_code == 422 and field in response.get_json()["fields"]
