"""Incoming POSTs keep address_string and media_url (text, never fetched), shown in GET answers and review."""
from sqlalchemy import text

from tests.auth.helpers import log_in
from tests.factories import make_user
from tests.open311.helpers import issue_key, make_concern
from tests.open311.test_write import URL, form, stored

PHOTO = "https://fotos.example.org/meldung/42.jpg"


def test_address_and_media_url_are_stored_and_answered(client, session):
    _id, key = issue_key(session)
    response = client.post(f"{URL}.json", data=form(key, address_string="  Marktplatz 1,\n Rheinhausen ",
                                                    media_url=PHOTO))
    assert response.status_code == 201, response.data
    request_id = response.get_json()[0]["service_request_id"]
    row = stored(session, request_id)
    assert (row["address_string"], row["media_url"]) == ("Marktplatz 1, Rheinhausen", PHOTO)
    [listed] = client.get(f"{URL}/{request_id}.json").get_json()
    assert listed["address"] == "Marktplatz 1, Rheinhausen" and listed["media_url"] == PHOTO
    assert client.get(f"{URL}/{request_id}.xml").text.count(PHOTO) == 1


def test_bad_media_url_or_long_address_is_400_naming_the_field(client, session):
    _id, key = issue_key(session)
    for bad in ("javascript:alert(1)", "ftp://example.org/a.jpg", "/relative.jpg", "https://",
                "https://example.org/" + "a" * 2000, "https://example.org/a b.jpg"):
        response = client.post(f"{URL}.json", data=form(key, media_url=bad))
        assert response.status_code == 400, bad
        assert "media_url" in response.get_json()[0]["description"]
    long_address = client.post(f"{URL}.json", data=form(key, address_string="Straße " * 40))
    assert long_address.status_code == 400 and "address_string" in long_address.get_json()[0]["description"]
    assert session.execute(text("SELECT count(*) FROM findings")).scalar() == 0


def test_review_page_shows_them_as_an_inert_link(app, client, session):
    _id, key = issue_key(session)
    request_id = client.post(f"{URL}.json", data=form(key, address_string="Marktplatz 1", media_url=PHOTO)
                             ).get_json()[0]["service_request_id"]
    concern_id = make_concern(session, [request_id], category="cycle_path")
    make_user(session, "orga")
    log_in(client)
    page = client.get(f"/review/concerns/{concern_id}").text
    assert "Adresse laut Meldung: Marktplatz 1" in page
    assert f'<a href="{PHOTO}" rel="noopener noreferrer nofollow"' in page
