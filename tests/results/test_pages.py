"""The results page, the overview and the widget over HTTP: what they show, to whom, with which headers."""
import re
from html.parser import HTMLParser

import pytest

from mapapp.i18n import language_tag

from tests.auth.helpers import database, log_in, make_account
from tests.results.helpers import (
    CONCERN_TITLE, INTERNAL_NOTE, OTHER_TITLE, WALK_TITLE, walk_with_results,
)


class MetaTags(HTMLParser):
    """``<meta property|name=… content=…>`` of a page."""

    def __init__(self):
        super().__init__()
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.tags[attrs.get("property") or attrs.get("name")] = attrs.get("content")


def meta_tags(html: str) -> dict:
    parser = MetaTags()
    parser.feed(html)
    return parser.tags


@pytest.fixture
def results(app):
    with database(app) as session:
        return walk_with_results(session)


@pytest.fixture
def unpublished(app):
    with database(app) as session:
        return walk_with_results(session, publish=False)


def test_results_page_shows_counts_concerns_and_public_updates_only(client, results):
    response = client.get(f"/w/{results.join_code}/results")
    assert response.status_code == 200
    html = response.text
    assert "Alt-Homberg &lt;Innenstadt&gt; &amp; Markt" in html and WALK_TITLE not in html
    assert "MESZ" in html  # the date names Duisburg's zone (12 September: summer time)
    assert "Bismarckplatz" in html
    assert "<strong>3 Funde</strong>" in html
    assert CONCERN_TITLE in html and OTHER_TITLE in html
    assert "Die Stadt prüft &lt;b&gt;den Leerstand&lt;/b&gt; im Frühjahr." in html
    assert "Bestätigt" in html
    assert INTERNAL_NOTE not in html
    assert "Schaufenster zugeklebt" not in html  # no finding text on the page (the map shows approved ones)
    assert "Vorschau" not in html


def test_share_tags_with_absolute_urls(client, results):
    tags = meta_tags(client.get(f"/w/{results.join_code}/results").text)
    assert tags["og:url"] == f"http://localhost/w/{results.join_code}/results"
    assert tags["og:title"] == f"Ergebnisse: {WALK_TITLE}"
    assert tags["og:description"].startswith("3 Funde, 2 Anliegen · ")
    assert tags["og:image"].startswith("http://localhost/")
    assert tags["og:type"] == "website" and tags["og:locale"] == "de_DE"
    assert tags["twitter:card"] == "summary" and tags["twitter:title"] == tags["og:title"]


def test_share_url_uses_the_public_base_url(app, client, results, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://mitmachen.example.org")
    tags = meta_tags(client.get(f"/w/{results.join_code}/results").text)
    assert tags["og:url"] == f"https://mitmachen.example.org/w/{results.join_code}/results"


@pytest.mark.parametrize("lang", ["de", "en", "de_simple", "tr", "ar"])
def test_results_page_in_every_language_sets_no_cookie(client, results, lang):
    response = client.get(f"/w/{results.join_code}/results?lang={lang}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert f'lang="{language_tag(lang)}"' in response.text.split(">", 2)[1]
    # Links on the page carry the language on, as no cookie remembers it.
    assert f"/results?lang={lang}" in response.text


@pytest.mark.parametrize("path", ["/w/{code}/results", "/w/{code}/results/findings.geojson", "/results",
                                  "/w/{code}/results/embed", "/results/feed.atom", "/w/nope/results"])
def test_public_pages_set_no_cookies(client, results, path):
    response = client.get(path.format(code=results.join_code) + "?lang=tr")
    assert "Set-Cookie" not in response.headers, path


def test_unpublished_results_are_not_found_for_the_public(client, unpublished):
    for path in ("", "/findings.geojson", "/embed", "/feed.atom"):
        assert client.get(f"/w/{unpublished.join_code}/results{path}").status_code == 404, path
    assert client.get("/w/unknown/results").status_code == 404
    assert WALK_TITLE not in client.get("/results").text


def test_organisers_preview_unpublished_results(app, client, unpublished):
    make_account(app, "preview-orga")
    log_in(client, "preview-orga")
    response = client.get(f"/w/{unpublished.join_code}/results")
    assert response.status_code == 200
    assert "Vorschau" in response.text and CONCERN_TITLE in response.text
    assert "no-store" in response.headers["Cache-Control"]


def test_organiser_publishes_and_withdraws(app, client, unpublished):
    make_account(app, "publish-orga")
    log_in(client, "publish-orga")
    page = client.get(f"/organiser/walks/{unpublished.walk_id}/edit").text
    assert f"/organiser/walks/{unpublished.walk_id}/results/publish" in page
    response = client.post(f"/organiser/walks/{unpublished.walk_id}/results/publish")
    assert response.status_code == 302
    page = client.get(f"/organiser/walks/{unpublished.walk_id}/edit").text
    assert "Öffentlich seit" in page and "&lt;iframe" in page
    assert app.test_client().get(f"/w/{unpublished.join_code}/results").status_code == 200
    client.post(f"/organiser/walks/{unpublished.walk_id}/results/unpublish")
    assert app.test_client().get(f"/w/{unpublished.join_code}/results").status_code == 404


def test_only_organisers_publish(app, client, unpublished):
    assert client.post(f"/organiser/walks/{unpublished.walk_id}/results/publish").status_code == 302  # to login
    make_account(app, "team-rita", role="team_member")
    log_in(client, "team-rita")
    assert client.post(f"/organiser/walks/{unpublished.walk_id}/results/publish").status_code == 403
    assert app.test_client().get(f"/w/{unpublished.join_code}/results").status_code == 404


def test_overview_lists_published_walks_newest_first(client, app, results):
    from sqlalchemy import text

    from mapapp.results import queries
    from tests.factories import make_walk
    from tests.results.helpers import join_code_of

    with database(app) as session:
        make_walk(session, title="Nie veröffentlicht")
        later = make_walk(session, title="Später im Jahr")
        session.execute(text("UPDATE walks SET starts_at = starts_at + interval '30 days' WHERE id = :id"),
                        {"id": later})
        queries.set_published(session, later, True)
        later_code = join_code_of(session, later)
    html = client.get("/results").text
    assert html.index(f"/w/{later_code}/results") < html.index(f"/w/{results.join_code}/results")
    assert "Nie veröffentlicht" not in html
    assert re.search(r"3 Funde\s*·\s*2 Anliegen", html)
    assert re.search(r"0 Funde\s*·\s*0 Anliegen", html)


def test_only_the_widget_may_be_framed_and_only_by_configured_origins(app, client, results, monkeypatch):
    page = client.get(f"/w/{results.join_code}/results")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    widget = client.get(f"/w/{results.join_code}/results/embed")
    assert "frame-ancestors 'none'" in widget.headers["Content-Security-Policy"]
    monkeypatch.setitem(app.config, "EMBED_ORIGINS", "https://plattform.example  http://127.0.0.1:8123 bad;origin")
    widget = client.get(f"/w/{results.join_code}/results/embed")
    policy = widget.headers["Content-Security-Policy"]
    assert "frame-ancestors https://plattform.example http://127.0.0.1:8123;" in policy + ";"
    assert "bad" not in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in client.get(f"/w/{results.join_code}/results").headers["Content-Security-Policy"]
    assert CONCERN_TITLE in widget.text


def test_public_geojson_and_its_etag(client, results):
    response = client.get(f"/w/{results.join_code}/results/findings.geojson?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    features = response.get_json()["features"]
    assert len(features) == 3
    labels = {f["properties"]["category"]: f["properties"]["category_label"] for f in features}
    assert labels["empty_shop"] != "Leeres Ladenlokal"  # in the language asked for
    again = client.get(f"/w/{results.join_code}/results/findings.geojson?lang=en",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
