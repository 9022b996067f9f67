"""The ``mapapp export`` command and the organiser's export page."""
import csv
import io
import json
import uuid
from datetime import date

from tests.auth.helpers import log_in, make_organiser
from tests.exports.helpers import finding_in


def test_cli_writes_file_and_stdout(app, session, tmp_path):
    finding_in(session, "Baerl", description="Häuserzeile")
    finding_in(session, "Rheinhausen-Mitte")
    runner = app.test_cli_runner()
    target = tmp_path / "out.geojson"
    result = runner.invoke(args=["export", "geojson", "--out", str(target), "--district", "Baerl"])
    assert result.exit_code == 0, result.output
    [feature] = json.loads(target.read_text("utf-8"))["features"]
    assert feature["properties"]["description"] == "Häuserzeile"
    result = runner.invoke(args=["export", "csv-semicolon", "--out", "-", "--no-text", "--crs", "4326"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and all(row["description"] == "" for row in rows)
    assert rows[0]["wkt"].startswith("POINT(6")


def test_cli_rejects_unknown_format_and_bad_dates(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "nope", "--out", "-"])
    assert result.exit_code != 0 and "geojson" in result.output
    result = runner.invoke(args=["export", "csv", "--out", "-", "--from", "gestern"])
    assert result.exit_code != 0 and "from" in result.output


def test_cli_names_an_unknown_walk_or_format_and_leaves_no_file(app, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "out.gpkg"
    result = runner.invoke(args=["export", "gpkg", "--out", str(target), "--walk", str(uuid.uuid4())])
    assert result.exit_code != 0 and "--walk" in result.output and "no walk with id" in result.output
    result = runner.invoke(args=["export", "gpkgx", "--out", str(target)])
    assert result.exit_code != 0 and "FORMAT" in result.output
    assert list(tmp_path.iterdir()) == []


def test_page_needs_an_organiser(client):
    response = client.get("/organiser/exports")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_page_lists_every_format_and_streams_download(client, session):
    from mapapp.exports import load_formats

    make_organiser(session)
    log_in(client)
    finding_in(session, "Ruhrort", description="Schaufenster leer")
    page = client.get("/organiser/exports")
    assert page.status_code == 200
    for name in load_formats():
        assert f'value="{name}"' in page.text
    response = client.get("/organiser/exports?format=geojson&what=findings&district=401&text=1")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="mapapp-findings-{date.today().isoformat()}.geojson"')
    [feature] = json.loads(response.get_data())["features"]
    assert feature["properties"]["description"] == "Schaufenster leer"


def test_page_reports_bad_filters(client, session):
    make_organiser(session)
    log_in(client)
    response = client.get("/organiser/exports?format=geojson&from=2026-12-01&to=2026-11-01")
    assert response.status_code == 422
    assert "Das Ende liegt vor dem Anfang." in response.text
