"""The feed on a local port, GDAL's ``ogrinfo`` pointed at it, and data with secrets planted."""
import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import text
from werkzeug.serving import make_server

from tests.exports.helpers import NICKNAME, finding_in, make_concern, make_participant

DESCRIPTION = "Beschreibung-nur-mit-Text-0815"
CONCERN_TITLE = "Titel-nur-mit-Text-0815"
CONCERN_SUMMARY = "Zusammenfassung-nur-mit-Text-0815"
PUBLIC_MESSAGE = "Die Stadt prüft das bis Ende Januar."
FREE_TEXT_ANSWER = "Freitext-Antwort-0815"
# Two findings in each place; the ones in Rheinhausen are older (see ``feed_data``).
PLACES = ("Baerl", "Rheinhausen-Mitte")
OLD = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def feed_url(app):
    """The test app on 127.0.0.1 in a background thread; yields the feed's URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/ogc"
    server.shutdown()


def ogrinfo(*args: str) -> str:
    """Run GDAL's ``ogrinfo -ro`` and return what it prints (it must succeed)."""
    if shutil.which("ogrinfo") is None:
        pytest.fail("ogrinfo is not installed: run `make test`, which installs Debian's gdal-bin")
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1", "GDAL_HTTP_TIMEOUT": "60"}
    result = subprocess.run(["ogrinfo", "-ro", *args], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


# pyogrio's GDAL (newer than Debian's ogrinfo) has the OAPIF driver's CRS option. It runs in a
# process of its own: in this one it would hold the GIL while it waits for the server thread.
GDAL_READ = """
import json, sys
import pyogrio, shapely
url, layer, crs = sys.argv[1:4]
meta, _, geometries, fields = pyogrio.raw.read(url, layer=layer, CRS=crs)
ids = fields[list(meta["fields"]).index("id")]
points = {str(i): shapely.from_wkb(g).coords[0] for i, g in zip(ids, geometries)}
print(json.dumps({"crs": meta["crs"], "points": points}))
"""


def gdal_read(url: str, layer: str, crs: str) -> dict:
    """Read ``layer`` of the feed at ``url`` with GDAL asking for ``crs``: ``{"crs", "points": {id: (x, y)}}``."""
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    result = subprocess.run([sys.executable, "-c", GDAL_READ, f"OAPIF:{url}", layer, crs], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def feed_data(session):
    """Findings by a participant with a nickname (two in Baerl, two older in Rheinhausen-Mitte, one
    in a concern with texts and a public message, one answering a free-text question) and a walk
    with a route. Returns the ids and counts the tests check against."""
    participant_id = make_participant(session)
    walk_id = session.execute(text("""
        INSERT INTO walks (id, title, topic, starts_at, meeting_point, route, join_code)
        VALUES (gen_random_uuid(), 'Begehung Baerl', 'Radwege', '2026-09-12 10:00+02',
                ST_SetSRID(ST_MakePoint(6.69, 51.5), 4326),
                ST_SetSRID(ST_MakeLine(ST_MakePoint(6.69, 51.5), ST_MakePoint(6.70, 51.51)), 4326), 'geheim42')
        RETURNING id
    """)).scalar()
    session.execute(text("""
        INSERT INTO category_attributes (category_slug, code, datatype, label_de, label_en)
        VALUES ('empty_shop', 'note', 'string', 'Notiz', 'Note')"""))
    ids = [finding_in(session, place, participant_id=participant_id, description=DESCRIPTION, walk_id=walk_id)
           for place in PLACES for _ in range(2)]
    session.execute(text("UPDATE findings SET created_at = :old WHERE id = ANY(:ids)"), {"old": OLD, "ids": ids[2:]})
    session.execute(text("""UPDATE findings SET attributes = jsonb_build_object('note', CAST(:answer AS text),
                            'ground_floor', 'yes') WHERE id = :id"""), {"answer": FREE_TEXT_ANSWER, "id": ids[0]})
    concern_id = make_concern(session, "Baerl", title=CONCERN_TITLE, summary=CONCERN_SUMMARY, status="in_review")
    session.execute(text("UPDATE concerns SET public_message = :message WHERE id = CAST(:id AS uuid)"),
                    {"message": PUBLIC_MESSAGE, "id": concern_id})
    session.execute(text("UPDATE findings SET concern_id = CAST(:concern AS uuid) WHERE id = :id"),
                    {"concern": concern_id, "id": ids[0]})
    session.commit()
    yield {"participant_id": participant_id, "findings": ids, "concern_id": concern_id, "walk_id": walk_id,
           "districts": session.execute(text("SELECT count(*) FROM districts")).scalar()}
    session.execute(text("DELETE FROM category_attributes WHERE code = 'note'"))
    session.commit()


SECRETS = (NICKNAME, "geheim42")
