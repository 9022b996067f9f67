"""The mapapp command line, through Flask's CLI runner and as the installed script."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result


def test_demo_load_is_idempotent(app, session):
    first = run(app, "demo", "load")
    second = run(app, "demo", "load")
    assert first.exit_code == second.exit_code == 0, first.output
    assert "3 walks" in first.output
    counts = session.execute(text("SELECT (SELECT count(*) FROM walks), (SELECT count(*) FROM findings)")).one()
    assert counts == (3, 10)
    wrong = session.execute(text("SELECT count(*) FROM findings WHERE stadtbezirk_id IS NULL")).scalar()
    assert wrong == 0
    unnamed = session.execute(text("SELECT count(*) FROM walks WHERE meeting_point_name IS NULL")).scalar()
    assert unnamed == 0


def test_districts_import_and_list(app, official_districts):
    result = run(
        app, "districts", "import", str(official_districts / "duisburg_ortsteile.geojson"),
        "--level", "ortsteil", "--name-field", "ortsteil", "--code-field", "ot_nr",
        "--parent-code-field", "stb_nr",
    )
    assert result.exit_code == 0, result.output
    assert "46 ortsteil imported" in result.output
    listing = run(app, "districts", "list", "--level", "ortsteil").output
    assert "402  Alt-Homberg" in listing and "(approximate)" not in listing


def test_import_error_is_one_clear_line(app, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}')
    result = run(app, "districts", "import", str(bad), "--level", "stadtbezirk",
                 "--name-field", "name", "--code-field", "code")
    assert result.exit_code != 0
    assert "Error:" in result.output and "Traceback" not in result.output


def test_load_default_leaves_loaded_districts_alone(app):
    result = run(app, "districts", "load-default")
    assert result.exit_code == 0
    assert "already loaded" in result.output


def test_installed_script_reports_the_embedded_cluster():
    script = Path(sys.executable).parent / "mapapp"
    script = str(script) if script.exists() else shutil.which("mapapp")
    result = subprocess.run([script, "pg", "status", "--json"], capture_output=True, text=True, timeout=60)
    info = json.loads(result.stdout)
    assert {"data_dir", "port", "running", "postgis_installed"} <= set(info)
    assert result.returncode == (0 if info["running"] else 1)


def test_demo_makes_an_organiser_only_when_there_are_no_accounts(app, session):
    from mapapp.auth.users import authenticate

    output = run(app, "demo", "load").output
    password = output.split("password '")[1].split("'")[0]
    assert authenticate(session, "demo", password) is not None
    assert "organiser account" not in run(app, "demo", "load").output
