"""The map tiles' credit: OpenStreetMap's default one in the page's language, a configured one as it is."""
import pytest

from mapapp.config import OSM_ATTRIBUTION
from mapapp.i18n import tile_attribution

OSM = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


@pytest.mark.parametrize("lang, expected", [
    ("de", f"© {OSM}-Mitwirkende"),
    ("en", f"© {OSM} contributors"),
    ("tr", f"© {OSM} katkıda bulunanlar"),
    ("ar", f"© المساهمون في {OSM}"),
])
def test_default_credit_is_translated_on_every_map(app, lang, expected):
    from mapapp.capture import client_config

    with app.test_request_context(f"/?lang={lang}"):
        assert tile_attribution(OSM_ATTRIBUTION) == expected
        assert client_config()["tiles"]["attribution"] == expected


def test_a_configured_credit_is_kept(app):
    with app.test_request_context("/?lang=en"):
        assert tile_attribution("© Stadt Duisburg, Geobasisdaten") == "© Stadt Duisburg, Geobasisdaten"
        assert tile_attribution("") == ""
