"""A walk with findings in two categories, grouped into concerns with public and internal texts."""
import uuid
from dataclasses import dataclass

from sqlalchemy import text

from mapapp.results import queries
from mapapp.review.concerns import workflow as concerns
from tests.factories import BISMARCKPLATZ, RHEINHAUSEN_MARKT, make_finding, make_user, make_walk

WALK_TITLE = "Alt-Homberg <Innenstadt> & Markt"
PUBLIC_MESSAGE = "Die Stadt prüft <b>den Leerstand</b> im Frühjahr."
INTERNAL_NOTE = "GEHEIM: Eigentümer Herr Beispiel anrufen"
CONCERN_TITLE = "Leerstand am Bismarckplatz"
OTHER_TITLE = "Radweg Rheinhausen"


@dataclass
class WalkResults:
    walk_id: uuid.UUID
    join_code: str
    shop_concern: uuid.UUID
    cycle_concern: uuid.UUID
    findings: list


def join_code_of(session, walk_id) -> str:
    return session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()


def _step(session, concern_id, version, user_id, to_status=None, message=None) -> int:
    if to_status:
        detail = concerns.change_status(session, concern_id, to_status=to_status, note=INTERNAL_NOTE,
                                        user_id=user_id, expected_version=version)
    else:
        detail = concerns.update_concern(session, concern_id, public_message=message, user_id=user_id,
                                         expected_version=version)
    return detail["version"]


def walk_with_results(session, publish: bool = True, message: str = PUBLIC_MESSAGE) -> WalkResults:
    """Three findings of a walk (two empty shops at Bismarckplatz, a cycle path in Rheinhausen) and
    one outside it; the shops' concern confirmed with a public message, the cycle path's confirmed
    without one."""
    walk_id = make_walk(session, title=WALK_TITLE, meeting_point_name="Bismarckplatz")
    shops = [make_finding(session, *BISMARCKPLATZ, walk_id=walk_id, description="Schaufenster zugeklebt")
             for _ in range(2)]
    cycle = make_finding(session, *RHEINHAUSEN_MARKT, category="cycle_path", walk_id=walk_id)
    make_finding(session, *BISMARCKPLATZ)  # no walk
    session.commit()
    orga = make_user(session, "results-orga")
    shop = concerns.create_concern(session, title=CONCERN_TITLE, summary="intern", category="empty_shop",
                                   finding_ids=shops, user_id=orga.id)
    shop_id = uuid.UUID(shop["id"])
    version = _step(session, shop_id, shop["version"], orga.id, "in_review")
    version = _step(session, shop_id, version, orga.id, "confirmed")
    _step(session, shop_id, version, orga.id, message=message)
    cycle_concern = concerns.create_concern(session, title=OTHER_TITLE, summary=None, category="cycle_path",
                                            finding_ids=[cycle], user_id=orga.id)
    cycle_id = uuid.UUID(cycle_concern["id"])
    version = _step(session, cycle_id, cycle_concern["version"], orga.id, "in_review")
    _step(session, cycle_id, version, orga.id, "confirmed")
    if publish:
        queries.set_published(session, walk_id, True)
    return WalkResults(walk_id, join_code_of(session, walk_id), shop_id, cycle_id, [*shops, cycle])
