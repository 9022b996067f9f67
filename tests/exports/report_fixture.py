"""A walk with findings, a concern and photos (one photo file gone) for the report exports."""
from dataclasses import dataclass

from sqlalchemy import text

from mapapp.photos import service
from mapapp.photos.storage import LocalStorage, photo_key
from mapapp.review import concerns
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
