"""Places for the map tests: a few findings around Homberg and Mitte, one in Rheinhausen."""
import math

import pytest
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, HAUPTBAHNHOF, RHEINHAUSEN_MARKT, make_finding, make_walk

# Homberg and Mitte, not Rheinhausen (south of 51.41).
NORTH_VIEW = "6.65,51.42,6.85,51.50"


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int, float, float]:
    """Tile x, y at zoom z holding the point, and the point's position inside it (0..1, from top left)."""
    n = 2 ** z
    fx = (lon + 180) / 360 * n
    fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int(fx), int(fy), fx - int(fx), fy - int(fy)


@pytest.fixture
def places(session):
    """3 findings at Bismarckplatz (2 empty_shop on a walk, 1 noise), 2 litter at the station, 1 in Rheinhausen."""
    walk = make_walk(session)
    ids = {
        "shop1": make_finding(session, *BISMARCKPLATZ, category="empty_shop", walk_id=walk),
        "shop2": make_finding(session, BISMARCKPLATZ[0] + 0.0003, BISMARCKPLATZ[1], category="empty_shop",
                              walk_id=walk),
        "noise": make_finding(session, BISMARCKPLATZ[0], BISMARCKPLATZ[1] + 0.0003, category="noise"),
        "litter1": make_finding(session, *HAUPTBAHNHOF, category="litter"),
        "litter2": make_finding(session, HAUPTBAHNHOF[0] + 0.0002, HAUPTBAHNHOF[1], category="litter"),
        "south": make_finding(session, *RHEINHAUSEN_MARKT, category="litter"),
    }
    session.execute(text("UPDATE findings SET status = 'confirmed', created_at = '2026-03-01T12:00:00+01'"
                         " WHERE id = :id"), {"id": ids["noise"]})
    session.commit()
    return {"walk": walk, **ids}
