"""pygeoapi's configuration, built from the app's settings (no database, no files)."""
from mapapp.ogc.collections import COLLECTIONS, EPSG_25832, READ_ONLY, Settings, provider_data, pygeoapi_config


def settings(**overrides) -> Settings:
    values = dict(database_url="postgresql+psycopg://city:s3cret@db.example:6543/mapapp?sslmode=require",
                  include_text=False, default_items=1000, max_items=10000, bbox=(6.6, 51.3, 6.9, 51.6),
                  licence="dl-de/by-2.0", licence_url="https://www.govdata.de/dl-de/by-2-0", contact="",
                  connect_timeout=3)
    return Settings(**{**values, **overrides})


def echo(msgid: str) -> dict:
    return {"de": msgid, "en": msgid, "tr": msgid, "ar": msgid}


def test_connection_from_the_database_url_read_only():
    data, options = provider_data(settings().database_url, 3)
    assert data == {"host": "db.example", "port": 6543, "dbname": "mapapp", "user": "city", "password": "s3cret",
                    "search_path": ["public"]}
    assert options == {"sslmode": "require", "options": READ_ONLY, "connect_timeout": 3}


def test_a_unix_socket_and_options_of_the_url_are_kept():
    data, options = provider_data("postgresql://mapapp@/mapapp?host=/run/postgresql&options=-c%20work_mem%3D8MB", 5)
    assert data["host"] == "/run/postgresql" and data["port"] == 5432
    assert options["options"] == f"-c work_mem=8MB {READ_ONLY}"


def test_the_views_without_text_unless_switched_on():
    def tables(config):
        return {name: resource["providers"][0]["table"] for name, resource in config["resources"].items()}

    plain = tables(pygeoapi_config(settings(), "http://x/ogc", echo))
    assert plain == {"findings": "public_findings", "concerns": "public_concerns", "walks": "public_walks",
                     "walk_routes": "public_walk_routes", "districts": "public_districts"}
    with_text = tables(pygeoapi_config(settings(include_text=True), "http://x/ogc", echo))
    assert with_text["findings"] == "public_findings_text" and with_text["concerns"] == "public_concerns_text"


def test_every_collection_offers_epsg_25832_and_has_a_time_field_where_it_has_time():
    config = pygeoapi_config(settings(), "http://x/ogc", echo)
    for collection in COLLECTIONS:
        resource = config["resources"][collection.id]
        provider = resource["providers"][0]
        assert EPSG_25832 in provider["crs"]
        assert provider.get("time_field") == collection.time_field
        assert ("temporal" in resource["extents"]) == (collection.time_field is not None)
    assert config["server"]["url"] == "http://x/ogc"
    assert config["server"]["limits"]["max_items"] == 10000
