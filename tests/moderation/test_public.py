"""Pre-moderation on every public endpoint: unapproved text and photos never leave the app to the
public; approval publishes them, hiding withdraws them; the team and the sender still see them.

``PUBLIC`` lists every public read of findings (grep: the ``api``, ``mapdata``, ``photos``,
``open311``, ``ogc`` and ``results`` blueprints' GET routes that return findings); each is read
as the public (a fresh client), and nothing of the finding's text or photos may be in its answer.
"""
import math

import pytest
from sqlalchemy import text

from mapapp.moderation import actions
from mapapp.review.concerns import workflow as concerns
from tests.auth.helpers import database, log_in
from tests.conftest import make_app
from tests.factories import BISMARCKPLATZ, make_user, make_walk
from tests.moderation.conftest import TEXT, send_finding

SECRET = TEXT.split(":")[0]  # "Geheimer Text 7f3a"
LAT, LON = BISMARCKPLATZ
BBOX = f"{LON - 0.01},{LAT - 0.01},{LON + 0.01},{LAT + 0.01}"


def tile_of(zoom: int) -> str:
    n = 2 ** zoom
    x = int((LON + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(LAT))) / math.pi) / 2 * n)
    return f"/tiles/findings/{zoom}/{x}/{y}.mvt"


# (name, URL with {id} for the finding): every public read of findings.
PUBLIC = [
    ("map", "/api/findings"),
    ("map_bbox", f"/api/findings?bbox={BBOX}"),
    ("finding", "/api/findings/{id}"),
    ("nearby", f"/api/findings/nearby?lat={LAT}&lon={LON}&category=empty_shop"),
    ("photo_list", "/api/findings/{id}/photos"),
    ("viewport_findings", f"/api/viewport?bbox={BBOX}&zoom=18"),
    ("viewport_cells", f"/api/viewport?bbox={BBOX}&zoom=12"),
    ("tile_findings", tile_of(18)),
    ("tile_cells", tile_of(12)),
    ("open311_list_json", "/open311/v2/requests.json"),
    ("open311_list_xml", "/open311/v2/requests.xml"),
    ("open311_one_json", "/open311/v2/requests/{id}.json"),
    ("open311_one_xml", "/open311/v2/requests/{id}.xml"),
    ("ogc_items", "/ogc/collections/findings/items"),
    ("ogc_item", "/ogc/collections/findings/items/{id}"),
    ("results_overview", "/results"),
    ("results_city_feed", "/results/feed.atom"),
    ("results_page", "/w/{code}/results"),
    ("results_widget", "/w/{code}/results/embed"),
    ("results_walk_feed", "/w/{code}/results/feed.atom"),
    ("results_map_data", "/w/{code}/results/findings.geojson"),
]


def body_of(client, url: str, finding) -> str:
    response = client.get(url.format(id=finding["id"], code=finding["code"]))
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response.get_data().decode("utf-8", "replace")


def leaks(body: str, finding) -> list[str]:
    """What of the finding's text and photos the answer shows."""
    found = [SECRET] if SECRET in body else []
    return found + [p["stored_sha256"] for p in finding["photos"] if p["stored_sha256"] in body]


def photo_status(client, finding) -> set[int]:
    sha = finding["photos"][0]["stored_sha256"]
    return {client.get(f"/photos/{sha}/{kind}.jpg").status_code for kind in ("web", "thumb")}


@pytest.fixture
def sent(app, client, mode, photo_storage):
    """A finding with text and a photo, sent under pre-moderation by ``client`` (the participant)
    on a walk whose results are published; ``code`` is the walk's join code."""
    with database(app) as session:
        walk_id = make_walk(session)
        code = session.execute(text("UPDATE walks SET results_published_at = now() WHERE id = :id RETURNING join_code"),
                               {"id": walk_id}).scalar_one()
        session.commit()
    return {**send_finding(client, walk_id=str(walk_id)), "code": code}


@pytest.fixture
def reviewer(app, session):
    return make_user(session, "orga")


@pytest.mark.parametrize("name, url", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_unapproved_text_and_photos_never_reach_the_public(app, sent, name, url):
    assert leaks(body_of(app.test_client(), url, sent), sent) == []


def test_unapproved_photo_files_answer_404_to_the_public(app, sent):
    assert photo_status(app.test_client(), sent) == {404}


def test_the_sender_still_sees_their_own_text_and_photos(client, sent):
    own = client.get("/api/me/findings").get_json()["features"][0]["properties"]
    assert own["description"] == TEXT and len(own["photos"]) == 1
    popup = client.get(f"/api/findings/{sent['id']}").get_json()["properties"]
    assert popup["description"] == TEXT and len(popup["photos"]) == 1
    assert len(client.get(f"/api/findings/{sent['id']}/photos").get_json()["photos"]) == 1
    assert photo_status(client, sent) == {200}


def test_the_team_still_sees_text_and_photos(app, session, sent, reviewer):
    team = app.test_client()
    log_in(team, "orga")
    assert photo_status(team, sent) == {200}
    page = team.get("/review/moderation").text
    assert SECRET in page and sent["photos"][0]["stored_sha256"] in page
    review = team.get(f"/api/review/findings?ids={sent['id']}").get_json()["features"][0]["properties"]
    assert review["description"] == TEXT and len(review["photos"]) == 1
    concern = concerns.create_concern(session, title="Laden", summary=None, category="empty_shop",
                                      finding_ids=[sent["id"]], user_id=reviewer.id)
    detail = team.get(f"/api/review/concerns/{concern['id']}").get_json()
    grouped = detail["findings"]["features"][0]["properties"]
    assert grouped["description"] == TEXT and len(grouped["photos"]) == 1
    assert leaks(app.test_client().get(f"/open311/v2/requests/{concern['id']}.json").text, sent) == []
    session.rollback()
    assert session.execute(text("SELECT description FROM findings WHERE id = :id"),
                           {"id": sent["id"]}).scalar() == TEXT


TEXT_ENDPOINTS = ["map", "finding", "nearby", "open311_one_json", "open311_list_xml"]
PHOTO_ENDPOINTS = ["map", "finding", "nearby", "photo_list", "open311_one_json"]


def test_approval_publishes_and_hiding_withdraws_everywhere(app, session, sent, reviewer):
    public = app.test_client()
    urls = dict(PUBLIC)
    actions.decide_text(session, reviewer, sent["id"], "approve")
    actions.decide_photo(session, reviewer, sent["photos"][0]["id"], "approve")
    for name in TEXT_ENDPOINTS:
        assert SECRET in body_of(public, urls[name], sent), name
    for name in PHOTO_ENDPOINTS:
        assert sent["photos"][0]["stored_sha256"] in body_of(public, urls[name], sent), name
    assert photo_status(public, sent) == {200}

    actions.decide_text(session, reviewer, sent["id"], "hide")
    actions.decide_photo(session, reviewer, sent["photos"][0]["id"], "hide")
    for name, url in PUBLIC:
        assert leaks(body_of(public, url, sent), sent) == [], name
    assert photo_status(public, sent) == {404}


def test_the_public_reads_the_moderators_edited_text(app, session, sent, reviewer):
    actions.edit_public_text(session, reviewer, sent["id"], "Schaufenster beschädigt")
    answer = app.test_client().get(f"/api/findings/{sent['id']}").get_json()["properties"]
    assert answer["description"] == "Schaufenster beschädigt"
    open311 = app.test_client().get(f"/open311/v2/requests/{sent['id']}.json").get_json()[0]
    assert open311["description"] == "Schaufenster beschädigt"


def test_a_public_photo_may_be_cached_an_hour_an_unapproved_one_by_no_shared_cache(app, client, sent, reviewer,
                                                                                   session):
    sha = sent["photos"][0]["stored_sha256"]
    own = client.get(f"/photos/{sha}/web.jpg")
    assert own.cache_control.private and own.cache_control.no_cache
    actions.decide_photo(session, reviewer, sent["photos"][0]["id"], "approve")
    public = app.test_client().get(f"/photos/{sha}/web.jpg")
    assert public.cache_control.public and public.cache_control.max_age == 3600
    assert not public.cache_control.immutable


def test_ogc_with_text_serves_a_text_only_once_approved_and_never_once_hidden(app, session, sent, reviewer):
    texts = make_app(app.config["SQLALCHEMY_DATABASE_URI"], OGC_INCLUDE_TEXT=True, MODERATION="pre").test_client()
    item = f"/ogc/collections/findings/items/{sent['id']}?f=json"
    assert texts.get(item).get_json()["properties"]["description"] is None
    actions.edit_public_text(session, reviewer, sent["id"], "Schaufenster beschädigt")
    assert texts.get(item).get_json()["properties"]["description"] == "Schaufenster beschädigt"
    actions.decide_text(session, reviewer, sent["id"], "hide")
    assert SECRET not in texts.get("/ogc/collections/findings/items?f=json").text
    assert texts.get(item).get_json()["properties"]["description"] is None


def test_post_mode_publishes_at_once_and_a_team_can_hide_it_later(app, client, session, mode, photo_storage,
                                                                   reviewer):
    mode("post")
    sent = {**send_finding(client), "code": None}
    public = app.test_client()
    assert SECRET in body_of(public, "/api/findings/{id}", sent)
    assert photo_status(public, sent) == {200}
    actions.decide_text(session, reviewer, sent["id"], "hide")
    actions.decide_photo(session, reviewer, sent["photos"][0]["id"], "hide")
    assert leaks(body_of(public, "/api/findings/{id}", sent), sent) == []
    assert photo_status(public, sent) == {404}
