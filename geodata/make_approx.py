"""Build the APPROXIMATE Duisburg district boundaries shipped in ``geodata/``.

mapapp ships its own coarse boundaries so that a fresh install works offline.
They are derived from Stadt Duisburg's official Ortsteil layer (46 Ortsteile),
but deliberately generalised: they are for "which district is this walk in",
not for anything legal or precise.  Load the official files instead when
precision matters (see README.md).

Method (all geometry work in EPSG:25832, ETRS89 / UTM 32N, metres):

1. Read the 46 official Ortsteile (``duisburg_ortsteile.geojson``, with the
   corrected numbers 103 Alt-Walsum / 501 Altstadt) and project them to
   EPSG:25832.
2. Clean them into a proper polygonal coverage (``shapely.coverage_clean``):
   the source has small overlaps (Ruhrort, ~2,000 m2) and 13 small gaps,
   which are merged into the neighbour with the longest shared border.
3. Grow the outer city edge by ``GROW_M`` metres.  The rim between the city
   outline and its buffer is split with a Voronoi diagram of points sampled
   along the outline; every rim piece goes to the Ortsteil that owns the
   nearest stretch of outline.  This way the generalised outline still
   contains the whole official city area, without creating overlaps.
4. Generalise all 46 Ortsteile together with ``shapely.coverage_simplify``
   (Visvalingam-Whyatt, tolerance ``TOLERANCE_M``), so shared edges stay
   shared: no gaps, no overlaps.
5. Project to EPSG:4326 (lon/lat), round to 5 decimals (~1 m), and dissolve
   the rounded Ortsteile by Stadtbezirk.  Because the Stadtbezirke are built
   from the very same rounded vertices, the Ortsteile nest exactly inside them.
6. Write ``stadtbezirke.geojson`` (all 7) and ``ortsteile.geojson`` (all 46),
   RFC 7946 (CCW exteriors, no crs).
7. Verify the result against the official data and assert the checks
   (coverage of the official city, overlaps, nesting, sample points, a 250 m
   point grid per Stadtbezirk, file size).

Usage (from the repository root)::

    .venv/bin/python geodata/make_approx.py [REF_DIR]

REF_DIR defaults to ``../shared/geodata-ref`` relative to the repository root
and must contain ``duisburg_ortsteile.geojson`` and
``duisburg_stadtbezirke.geojson``.  Needs shapely >= 2.2 and pyproj.
"""

import json
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

HERE = Path(__file__).resolve().parent
DEFAULT_REF_DIR = HERE.parent.parent / "shared" / "geodata-ref"

TOLERANCE_M = 150      # coverage_simplify tolerance (~ sqrt of triangle area)
GROW_M = 300           # how far the outer city edge is pushed outwards
GAP_WIDTH_M = 30       # gaps narrower than this are closed while cleaning
SAMPLE_STEP_M = 20     # spacing of outline points used to split the rim
DECIMALS = 5           # output coordinate precision (~1 m)
MIN_AGREEMENT = 0.95   # share of 250 m grid points that must get the official label

TO_UTM = Transformer.from_crs(4326, 25832, always_xy=True)
TO_WGS = Transformer.from_crs(25832, 4326, always_xy=True)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def reproject(geom, transformer):
    """Return ``geom`` with all coordinates passed through ``transformer``."""
    def _xy(coords):
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])
    return shapely.transform(geom, _xy)


def round_coords(geom, decimals=DECIMALS):
    """Round every coordinate of ``geom`` to ``decimals`` places."""
    return shapely.transform(geom, lambda c: np.round(c, decimals))


def read_features(path):
    """Return (properties, geometry in EPSG:25832) pairs of a GeoJSON file."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return [(f["properties"], reproject(shape(f["geometry"]), TO_UTM))
            for f in data["features"]]


# --------------------------------------------------------------------------
# Generalisation steps
# --------------------------------------------------------------------------

def clean_coverage(geoms):
    """Make ``geoms`` a valid coverage: no overlaps, no small gaps, no holes."""
    cleaned = shapely.coverage_clean(geoms, gap_width=GAP_WIDTH_M)
    assert shapely.coverage_is_valid(cleaned), "coverage_clean failed"
    city = shapely.union_all(cleaned)
    assert city.geom_type == "Polygon" and not city.interiors, \
        "expected the cleaned city to be one polygon without holes"
    return list(cleaned)


def grow_outer_edge(geoms, distance):
    """Extend the coverage ``geoms`` outwards by ``distance`` metres.

    The rim ``city.buffer(distance) - city`` is split into Voronoi cells of
    points sampled along the city outline; each cell's rim goes to the polygon
    owning that outline point.  Returns a new, cleaned coverage.
    """
    city = shapely.union_all(geoms)
    rim = city.buffer(distance).difference(city)
    outline = city.exterior
    steps = np.arange(0, outline.length, SAMPLE_STEP_M)
    points = shapely.line_interpolate_point(outline, steps)
    tree = shapely.STRtree(geoms)
    owners = [tree.query_nearest(p)[0] for p in points]
    cells = shapely.voronoi_polygons(
        shapely.MultiPoint(points), extend_to=rim.envelope, ordered=True)
    grown = []
    for i, geom in enumerate(geoms):
        mine = [c for c, o in zip(cells.geoms, owners) if o == i]
        rim_part = shapely.union_all(mine).intersection(rim)  # empty if inner
        grown.append(geom.union(rim_part))
    grown = clean_coverage(grown)
    assert all(g.geom_type == "Polygon" for g in grown), "rim made fragments"
    return grown


def generalise(geoms, tolerance):
    """Simplify the coverage, shared edges and outer edge alike."""
    simplified = list(shapely.coverage_simplify(geoms, tolerance))
    assert shapely.coverage_is_valid(simplified), "simplify broke coverage"
    return simplified


def to_output_crs(geom):
    """Project to EPSG:4326, round, and orient exteriors counter-clockwise."""
    out = round_coords(reproject(geom, TO_WGS))
    out = shapely.orient_polygons(out, exterior_cw=False)
    assert out.is_valid, f"invalid after rounding: {shapely.is_valid_reason(out)}"
    return out


def dissolve(ortsteile):
    """Union rounded Ortsteile (lon/lat) into Stadtbezirke, keyed by stb_nr."""
    groups = {}
    for props, geom in ortsteile:
        groups.setdefault(props["stb_nr"], []).append(geom)
    bezirke = {}
    for stb, geoms in sorted(groups.items()):
        merged = shapely.union_all(geoms, grid_size=10 ** -DECIMALS)
        merged = shapely.orient_polygons(merged, exterior_cw=False)
        assert merged.geom_type in ("Polygon", "MultiPolygon") and merged.is_valid
        bezirke[stb] = merged
    return bezirke


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

DESCRIPTION = ("APPROXIMATE Duisburg district boundaries, generalised to about "
               f"{TOLERANCE_M} m by the mapapp team from Stadt Duisburg's "
               "Ortsteil layer (source: Stadt Duisburg). Not official.")


def write_geojson(path, name, features):
    """Write a FeatureCollection, one feature per line (diff-friendly)."""
    lines = [json.dumps({"type": "Feature", "properties": props,
                         "geometry": mapping(geom)},
                        ensure_ascii=False, separators=(",", ":"))
             for props, geom in features]
    head = json.dumps({"type": "FeatureCollection", "name": name,
                       "description": DESCRIPTION}, ensure_ascii=False)
    text = head[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
    json.loads(text)  # sanity check
    Path(path).write_text(text, encoding="utf-8")
    return Path(path).stat().st_size


def build(ref_dir):
    """Run steps 1-5; return (ortsteile, stadtbezirke, names) in lon/lat."""
    official = read_features(ref_dir / "duisburg_ortsteile.geojson")
    props = [p for p, _ in official]
    geoms = clean_coverage([g for _, g in official])
    geoms = grow_outer_edge(geoms, GROW_M)
    geoms = generalise(geoms, TOLERANCE_M)
    ortsteile = [(p, to_output_crs(g)) for p, g in zip(props, geoms)]
    names = {p["stb_nr"]: p["stadtbezirk"] for p in props}
    return ortsteile, dissolve(ortsteile), names


def write_outputs(ortsteile, bezirke, names, out_dir=HERE):
    """Write both GeoJSON files; return their total size in bytes."""
    stb_features = [({"code": str(stb), "name": names[stb], "approximate": True},
                     geom) for stb, geom in bezirke.items()]
    ot_features = [({"code": str(p["ot_nr"]), "name": p["ortsteil"],
                     "parent_code": str(p["stb_nr"]), "approximate": True}, g)
                   for p, g in ortsteile]
    size = write_geojson(out_dir / "stadtbezirke.geojson",
                         "duisburg_stadtbezirke_approx", stb_features)
    size += write_geojson(out_dir / "ortsteile.geojson",
                          "duisburg_ortsteile_approx", ot_features)
    return size


# --------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------

# (label, lat, lon, expected Ortsteil or None, expected Stadtbezirk)
POINTS = [
    ("Bismarckplatz", 51.4565, 6.6995, "Alt-Homberg", "Homberg/Ruhrort/Baerl"),
    ("Rheinhausen Markt", 51.4018, 6.7128, "Rheinhausen-Mitte", "Rheinhausen"),
    ("Afrika-Siedlung", 51.3905, 6.7780, "Buchholz", "Süd"),
    ("Duisburg Hbf", 51.4297, 6.7755, "Dellviertel", "Mitte"),
]


def max_pairwise_overlap(geoms):
    """Largest intersection area (m2) between any two of ``geoms``."""
    worst = 0.0
    for i, a in enumerate(geoms):
        for b in geoms[i + 1:]:
            worst = max(worst, a.intersection(b).area)
    return worst


def check_coverage(ours_stb, official_city):
    """Official city minus our union must be empty; check a 100 m buffer."""
    ours = shapely.union_all([g for _, g in ours_stb])
    missing = official_city.difference(ours).area
    missing_100 = official_city.buffer(100).difference(ours).area
    extra = ours.difference(official_city).area
    print(f"official city area       {official_city.area / 1e6:9.3f} km2")
    print(f"our union area           {ours.area / 1e6:9.3f} km2 "
          f"(+{extra / 1e6:.3f} km2 outside the city)")
    print(f"official - ours          {missing:9.3f} m2")
    print(f"official+100 m - ours    {missing_100:9.3f} m2")
    assert missing < 1 and missing_100 < 1


def check_topology(ours_stb, ours_ot):
    """Overlaps, nesting and 'Ortsteile union == Stadtbezirk'."""
    stb_overlap = max_pairwise_overlap([g for _, g in ours_stb])
    ot_overlap = max_pairwise_overlap([g for _, g in ours_ot])
    print(f"max overlap Stadtbezirke {stb_overlap:9.3f} m2")
    print(f"max overlap Ortsteile    {ot_overlap:9.3f} m2")
    assert stb_overlap < 1 and ot_overlap < 1
    bezirk = {p["code"]: g for p, g in ours_stb}
    for p, g in ours_ot:
        outside = g.difference(bezirk[p["parent_code"]]).area
        assert outside < 1, f"{p['name']} sticks out of its Stadtbezirk"
    for code in sorted({p["parent_code"] for p, _ in ours_ot}):
        union = shapely.union_all([g for p, g in ours_ot
                                   if p["parent_code"] == code])
        diff = union.symmetric_difference(bezirk[code]).area
        print(f"Stadtbezirk {code}: |Ortsteile xor Stadtbezirk| = {diff:.3f} m2")
        assert diff < 1


def find(features, lat, lon):
    """Names of the features (UTM) that contain the point (lat, lon)."""
    pt = shapely.Point(TO_UTM.transform(lon, lat))
    return [p["name"] for p, g in features if g.covers(pt)]


def check_points(ours_stb, ours_ot):
    """The named test points land in the expected districts."""
    for label, lat, lon, want_ot, want_stb in POINTS:
        got_ot, got_stb = find(ours_ot, lat, lon), find(ours_stb, lat, lon)
        print(f"{label:18s} ({lat}, {lon}) -> {got_ot or '-'} / {got_stb}")
        assert got_stb == [want_stb], (label, got_stb)
        assert got_ot == [want_ot], (label, got_ot)


def grid_points(area, step):
    """Points on a ``step`` m grid (EPSG:25832) that lie inside ``area``."""
    x0, y0, x1, y1 = area.bounds
    xs, ys = np.meshgrid(np.arange(x0, x1, step), np.arange(y0, y1, step))
    points = shapely.points(xs.ravel(), ys.ravel())
    return points[shapely.contains(area, points)]


def grid_agreement(points, official, ours):
    """Share of points labelled alike by two lists of (code, geometry).

    Points that the official data puts in no or two districts are skipped.
    Returns (agreement, number of points used, points we leave uncovered).
    """
    want, got = _labels(points, official), _labels(points, ours)
    keep = want != ""
    return np.mean(want[keep] == got[keep]), keep.sum(), (got[keep] == "").sum()


def check_grid(ours_stb, ours_ot, official_stb, official_ot, step=250):
    """Our Stadtbezirk and Ortsteil per 250 m grid point must match the
    official one for at least 97 % (city) and ``MIN_AGREEMENT`` (Ortsteile,
    in each Stadtbezirk) of the points; no point may be left uncovered."""
    city = shapely.union_all([g for _, g in official_stb])
    points = grid_points(city, step)
    agree, n, uncovered = grid_agreement(
        points, [(str(p["stb_nr"]), g) for p, g in official_stb],
        [(p["code"], g) for p, g in ours_stb])
    print(f"grid {step} m, Stadtbezirke: {n} points, {agree:.2%} agree, "
          f"{uncovered} not covered")
    assert agree >= 0.97 and uncovered == 0
    ours = [(p["code"], g) for p, g in ours_ot]
    agree, n, uncovered = grid_agreement(
        points, [(str(p["ot_nr"]), g) for p, g in official_ot], ours)
    print(f"grid {step} m, Ortsteile: {n} points, {agree:.2%} agree, "
          f"{uncovered} not covered")
    assert agree >= MIN_AGREEMENT and uncovered == 0
    for stb_nr, stb_name, stb in sorted((p["stb_nr"], p["stadtbezirk"], g)
                                        for p, g in official_stb):
        inside = grid_points(stb, step)
        agree, n, _ = grid_agreement(
            inside, [(str(p["ot_nr"]), g) for p, g in official_ot
                     if p["stb_nr"] == stb_nr], ours)
        print(f"  Stadtbezirk {stb_nr} {stb_name:22s} {n:4d} points, "
              f"Ortsteil agrees for {agree:.2%}")
        assert agree >= MIN_AGREEMENT, stb_name


def _labels(points, features):
    """Code of the single feature containing each point ('' if 0 or >1)."""
    labels = np.full(len(points), "", dtype=object)
    hits = np.zeros(len(points), dtype=int)
    for code, geom in features:
        inside = shapely.covers(geom, points)
        labels[inside] = code
        hits += inside
    labels[hits != 1] = ""
    return labels


def verify(ref_dir, out_dir=HERE):
    """Re-read our files and compare them with the official boundaries."""
    official_stb = read_features(ref_dir / "duisburg_stadtbezirke.geojson")
    official_ot = read_features(ref_dir / "duisburg_ortsteile.geojson")
    official_city = shapely.union_all([g for _, g in official_stb])
    ours_stb = read_features(out_dir / "stadtbezirke.geojson")
    ours_ot = read_features(out_dir / "ortsteile.geojson")
    assert len(ours_stb) == 7 and len(ours_ot) == 46
    check_coverage(ours_stb, official_city)
    check_topology(ours_stb, ours_ot)
    check_points(ours_stb, ours_ot)
    check_grid(ours_stb, ours_ot, official_stb, official_ot)


def main(argv):
    ref_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_REF_DIR
    ortsteile, bezirke, names = build(ref_dir)
    size = write_outputs(ortsteile, bezirke, names)
    n_stb = sum(shapely.get_num_coordinates(g) for g in bezirke.values())
    n_ot = sum(shapely.get_num_coordinates(g) for _, g in ortsteile)
    print(f"tolerance {TOLERANCE_M} m, grow {GROW_M} m, {DECIMALS} decimals")
    print(f"vertices: Stadtbezirke {n_stb}, Ortsteile {n_ot}; "
          f"both files {size} bytes ({size / 1024:.1f} KiB)")
    assert size < 80 * 1024, "files too large, raise TOLERANCE_M"
    verify(ref_dir)
    print("all checks passed")


if __name__ == "__main__":
    main(sys.argv)
