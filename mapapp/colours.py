"""The map's colours, defined once: for the app's pages and for the exports that style their
layers (QGIS styles in the GeoPackage and beside the Shapefiles, KML).

Categories take the colours of :data:`PALETTE` in their display order (``categories.sort``,
then slug), so no two categories share a colour while there are no more categories than
colours; the review map (static/js/review/clusters-map.js) gets them from its page config.
The other colours are the ones the style sheets and scripts draw with (named beside each);
tests/test_colours.py checks that those files still use them.
"""
from sqlalchemy import text

# Distinguishable on a plain background and against OSM tiles.
PALETTE = ("#00468a", "#b3400a", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#827717", "#37474f")
FALLBACK = "#37474f"

# Concern status -> (fill, outline): the badges of static/css/review.css (.concern-status--*).
STATUS_COLOURS = {
    "new": ("#e3eef9", "#00315f"),
    "in_review": ("#e3eef9", "#00315f"),
    "confirmed": ("#fff1cc", "#5c4200"),
    "handed_over": ("#fff1cc", "#5c4200"),
    "resolved": ("#dcf2e1", "#135c27"),
    "rejected": ("#ebedf0", "#4a5563"),
    "duplicate": ("#ebedf0", "#4a5563"),
}

# District level -> (outline colour, width in px, dashed): DISTRICT_STYLES of static/js/shared/map.js.
DISTRICT_OUTLINES = {"stadtbezirk": ("#00468a", 3.0, False), "ortsteil": ("#4a5866", 1.5, True)}

# Walks: the planned route (ROUTE_STYLE of static/js/shared/walkmap.js) and the meeting point
# (fill, outline: MEETING_STYLE of static/js/organiser/walk-editor.js).
WALK_ROUTE = ("#00468a", 5.0, True)
MEETING_POINT = ("#ffbf1f", "#00468a")


def category_colours(session) -> dict[str, str]:
    """Every category's colour (inactive ones too: old findings keep theirs), by slug."""
    slugs = session.execute(text("SELECT slug FROM categories ORDER BY sort, slug")).scalars()
    return {slug: PALETTE[index % len(PALETTE)] for index, slug in enumerate(slugs)}
