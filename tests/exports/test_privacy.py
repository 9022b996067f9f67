"""No format may leak a participant's nickname, id or cookie token.

Compressed outputs are opened first: zip members (Shapefile/KMZ bundles) and the Flate
streams of a PDF are searched as well as the raw bytes.
"""
import io
import re
import zipfile
import zlib

import pytest
from itsdangerous import URLSafeSerializer

from mapapp.exports import load_formats
from tests.exports.helpers import NICKNAME, export_bytes, finding_in, make_concern, make_participant


def plain_views(data: bytes):
    """The raw bytes plus every decompressed part we can find."""
    yield data
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            for member in bundle.namelist():
                yield from plain_views(bundle.read(member))
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            yield zlib.decompress(stream.group(1))
        except zlib.error:
            continue


@pytest.mark.parametrize("name", sorted(load_formats()))
def test_no_participant_data_in_any_format(app, session, name):
    participant_id = make_participant(session)
    finding_in(session, "Baerl", participant_id=participant_id, description="Fund von jemandem")
    finding_in(session, "Ruhrort", participant_id=participant_id)
    make_concern(session, "Baerl")
    token = URLSafeSerializer(app.secret_key, salt="participant").dumps(str(participant_id))
    for selection in ({"what": "both", "include_photos": True}, {"what": "findings", "srid": 4326}):
        data = export_bytes(session, name, **selection)
        assert data, name
        for part in plain_views(data):
            for secret in (NICKNAME, str(participant_id), participant_id.hex, token):
                assert secret.encode() not in part, (name, secret)
                assert secret.encode("utf-16-le") not in part, (name, secret)
