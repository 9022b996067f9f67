"""Fixtures of the Open311 tests: a local stand-in for the city's endpoint and one endpoint row for it."""
import pytest
from sqlalchemy import text

from mapapp.open311.city import endpoints as city_endpoints
from tests.open311.city_server import CityServer


@pytest.fixture
def server():
    with CityServer() as running:
        yield running


@pytest.fixture
def endpoint(session, server):
    endpoint_id = city_endpoints.add_endpoint(
        session, name="Stadt Duisburg", base_url=server.base_url, api_key="city-key-123",
        jurisdiction_id="duisburg.de", service_map={"empty_shop": "LEER01", "cycle_path": "RAD07"})
    yield endpoint_id
    session.rollback()
    session.execute(text("TRUNCATE city_endpoints CASCADE"))
    session.commit()
