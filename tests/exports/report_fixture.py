"""A walk with findings, a concern and photos (one photo file gone) for the report exports.

Two participants pinned the concern's findings and one of them gave the other's finding a +1:
two people stand behind the concern. :func:`add_line` adds a finding along a stretch of road."""
import json
from dataclasses import dataclass

from sqlalchemy import text

from mapapp.findings import confirmations
from mapapp.photos import service
from mapapp.photos.storage import LocalStorage, photo_key
from mapapp.review.concerns import workflow as concerns
from tests.exports.helpers import make_participant
from tests.factories import BISMARCKPLATZ, make_finding, make_user, make_walk
from tests.photos.images import distinct_jpegs

WALK_TITLE = "Ortsbegehung Alt-Homberg: Straße & Grünfläche"
PLANTED = "<script>alert(1)</script> ${alert(2)} `quer`"
CONCERN_TITLE = "Leerstand rund um den Bismarckplatz"


@dataclass
class Report:
    walk_id: str
    storage: LocalStorage
    finding_ids: list
    concern_id: str
    photo_sha: str


def stored_sha(session, photo_id) -> str:
    return session.execute(text("SELECT stored_sha256 FROM photos WHERE id = :id"), {"id": photo_id}).scalar()


def make_report(session, root) -> Report:
    walk_id = make_walk(session, title=WALK_TITLE)
    lat, lon = BISMARCKPLATZ
    ids = [
        make_finding(session, lat, lon, "empty_shop", PLANTED, walk_id),
        make_finding(session, lat + 0.001, lon, "empty_shop", "Schaufenster verklebt", walk_id),
        make_finding(session, lat, lon + 0.002, "cycle_path", "Wurzelaufbrüche am Radweg", walk_id),
    ]
    session.commit()
    first, second = make_participant(session, "Nick-Eins-4711"), make_participant(session, "Nick-Zwei-4711")
    for finding_id, participant_id in zip(ids[:2], (first, second)):
        session.execute(text("UPDATE findings SET participant_id = :p WHERE id = :f"),
                        {"p": participant_id, "f": finding_id})
    confirmations.confirm(session, ids[1], first)
    session.commit()
    storage = LocalStorage(root)
    kept, gone = distinct_jpegs(2)
    photo, _ = service.add_photo(session, storage, ids[0], kept, "laden.jpg")
    lost, _ = service.add_photo(session, storage, ids[1], gone, "fenster.jpg")
    storage.delete(photo_key(stored_sha(session, lost["id"]), "thumb"))  # a file gone missing
    kept_sha = stored_sha(session, photo["id"])
    orga = make_user(session)
    concern = concerns.create_concern(session, title=CONCERN_TITLE, summary="Zwei Läden stehen leer.",
                                      category="empty_shop", finding_ids=ids[:2], user_id=orga.id)
    return Report(str(walk_id), storage, ids, concern["id"], kept_sha)


# A stretch of the Moerser Straße's cycle path west of the Bismarckplatz, as (lon, lat).
ROAD = [[6.6962, 51.4561], [6.6975, 51.4563], [6.6988, 51.4566]]


def add_line(session, report: Report) -> str:
    """A cycle-path finding of the report's walk drawn as a line; its id."""
    finding_id = make_finding(session, category="cycle_path", description="Radweg auf 200 m holprig",
                              walk_id=report.walk_id, geometry=json.dumps({"type": "LineString", "coordinates": ROAD}))
    session.commit()
    return str(finding_id)
