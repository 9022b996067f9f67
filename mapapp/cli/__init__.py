"""The ``mapapp`` command: the Flask CLI plus commands for the database, districts and demo data.

Every command here also works as ``flask --app mapapp …``.
"""
import json
import os
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup

from mapapp.errors import DomainError


def _fail_cleanly(func):
    """Turn domain and set-up errors into a one-line CLI error instead of a traceback."""
    from functools import wraps

    from mapapp.devtools.embedded_pg import EmbeddedPgError

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        except EmbeddedPgError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


pg = AppGroup("pg", help="The embedded PostgreSQL/PostGIS cluster under var/ (when DATABASE_URL is unset).")


@pg.command("ensure")
@_fail_cleanly
def pg_ensure():
    """Install PostGIS if needed, initialise and start the cluster, create the database."""
    from mapapp.devtools import embedded_pg

    if os.environ.get("DATABASE_URL"):
        click.echo("DATABASE_URL is set: using that server, no embedded cluster.")
        return
    cluster = embedded_pg.ensure()
    click.echo(f"PostGIS cluster running: {cluster.url()}")


@pg.command("start")
@_fail_cleanly
def pg_start():
    """Start the cluster (initialising it first if needed)."""
    pg_ensure.callback()


@pg.command("stop")
@_fail_cleanly
def pg_stop():
    """Stop the cluster."""
    from mapapp.devtools import embedded_pg

    cluster, bindir = embedded_pg.Cluster.default(), embedded_pg.find_bindir()
    if bindir and cluster.running(bindir):
        cluster.stop(bindir)
        click.echo("stopped")
    else:
        click.echo("not running")


@pg.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def pg_status(as_json):
    """Report where the cluster lives and whether it runs; exit 1 when it does not."""
    from mapapp.devtools import embedded_pg

    info = embedded_pg.status()
    if as_json:
        click.echo(json.dumps(info))
    else:
        for key, value in info.items():
            click.echo(f"{key}: {value}")
    raise SystemExit(0 if info["running"] else 1)


districts = AppGroup("districts", help="District boundaries (Stadtbezirke and Ortsteile).")


@districts.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--level", type=click.Choice(["stadtbezirk", "ortsteil"]), required=True)
@click.option("--name-field", required=True, help="Attribute holding the district's name.")
@click.option("--code-field", required=True, help="Attribute holding the official number.")
@click.option("--parent-code-field", help="For Ortsteile: attribute holding the Stadtbezirk's number.")
@click.option("--srid", type=int, help="EPSG code, when the file does not say its CRS.")
@click.option("--approximate", is_flag=True, help="Mark the boundaries as approximate.")
@_fail_cleanly
def districts_import(path, level, name_field, code_field, parent_code_field, srid, approximate):
    """Replace the districts of LEVEL with those in PATH (GeoJSON, GeoPackage, Shapefile...)."""
    from mapapp.districts import boundaries as domain
    from mapapp.db import db

    report = domain.import_file(
        db.session, path, level, name_field, code_field, parent_code_field, srid, approximate
    )
    click.echo(
        f"{report.imported} {level} imported, {report.removed} removed, "
        f"{report.findings_reassigned} findings re-assigned"
    )
    for line in report.repaired:
        click.echo(f"repaired {line}")


@districts.command("load-default")
@click.option("--replace", is_flag=True, help="Replace districts that are already loaded.")
@_fail_cleanly
def districts_load_default(replace):
    """Load the approximate boundaries shipped in geodata/ (skipped if districts exist)."""
    from mapapp.districts import boundaries as domain
    from mapapp.db import db

    reports = domain.load_default(db.session, replace=replace)
    if not reports:
        click.echo("districts already loaded; use --replace to load the defaults anyway")
    for report in reports:
        click.echo(f"{report.imported} {report.level} loaded (approximate)")


@districts.command("list")
@click.option("--level", type=click.Choice(["stadtbezirk", "ortsteil"]), default="stadtbezirk")
def districts_list(level):
    """List the districts of LEVEL with their codes and finding counts."""
    from mapapp.districts import boundaries as domain
    from mapapp.db import db

    collection = json.loads(domain.districts_geojson(db.session, level))
    for feature in collection["features"]:
        props = feature["properties"]
        mark = " (approximate)" if props["approximate"] else ""
        click.echo(f"{props['code']:>4}  {props['name']}{mark}  findings: {props['total']}")


demo = AppGroup("demo", help="Demo walks and findings.")


@demo.command("load")
@_fail_cleanly
def demo_load():
    """Load the demo walks and findings (safe to repeat)."""
    from mapapp.devtools import demo as domain
    from mapapp.db import db

    counts = domain.load(db.session)
    click.echo(f"demo: {counts['walks']} walks, {counts['findings']} findings")
    account = domain.demo_organiser(db.session)
    if account:
        click.echo(f"demo organiser account: user '{account[0]}', password '{account[1]}' (shown once)")


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup_command(out):
    """Write one archive OUT: database dump (pg_dump -Fc), photo files and a manifest."""
    from flask import current_app

    from mapapp.backup import archive as backup

    try:
        manifest = backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"],
                                 current_app.extensions["photo_storage"], out)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    counts = manifest["counts"]
    click.echo(f"{out}: {counts['findings']} findings, {counts['photos']} photos "
               f"({manifest['photo_files']} files), migration {manifest['alembic_revision']}")
    if manifest["missing_photo_files"]:
        click.echo(f"warning: {len(manifest['missing_photo_files'])} photo files were already missing", err=True)


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Restore even into a database that already holds tables.")
def restore_command(archive, force):
    """Restore ARCHIVE (from `mapapp backup`) into an empty database and the photo directory."""
    from flask import current_app

    from mapapp.backup import archive as backup

    try:
        result = backup.restore(current_app.config["SQLALCHEMY_DATABASE_URI"],
                                current_app.extensions["photo_storage"], archive, force=force)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    found = result["found"]
    click.echo(f"restored {found['findings']} findings, {found['photos']} photos ({found['photo_files']} files) "
               f"from the backup of {result['manifest']['created_at']}; counts match the manifest")


def register_commands(app: Flask) -> None:
    """Attach the command groups to ``app.cli``."""
    from mapapp.auth.cli import users
    from mapapp.exports.cli import export
    from mapapp.i18n.cli import translations
    from mapapp.review.cli import teams

    for group in (pg, districts, demo, translations, users, teams):
        app.cli.add_command(group)
    app.cli.add_command(export)
    from mapapp.open311.cli import apikeys
    app.cli.add_command(apikeys)
    from mapapp.open311.city.cli import city
    app.cli.add_command(city)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def _create_app():
    from mapapp import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, help="mapapp: findings from neighbourhood walks.")
def main():
    """Entry point of the ``mapapp`` console command."""


def _loopback_only(app: Flask) -> bool:
    from mapapp.security import LOOPBACK_HOSTS

    return list(app.config.get("TRUSTED_HOSTS") or ()) == list(LOOPBACK_HOSTS)


def host_hint(app: Flask, host: str) -> str | None:
    """What to set when the server listens beyond this machine but answers only to localhost names."""
    if host in ("127.0.0.1", "localhost", "::1") or not _loopback_only(app):
        return None
    import socket

    example = json.dumps([socket.gethostname().lower(), "192.168.1.20"])
    return ("Only the host names localhost and 127.0.0.1 are answered (any other gets 400 Bad Request).\n"
            "To open the app from other devices, name the host names or addresses typed into their browsers,\n"
            f"e.g. MAPAPP_TRUSTED_HOSTS='{example}' (a leading dot admits subdomains: '.lan'),\n"
            "or set MAPAPP_PUBLIC_BASE_URL to the address participants use (join links and QR codes use it).")


def _run_command() -> click.Command:
    """Flask's ``run`` (same options), with mapapp's request handler (no versions in the Server
    header) and a hint about ``TRUSTED_HOSTS`` when listening on other interfaces."""
    from flask.cli import pass_script_info
    from flask.cli import run_command as flask_run

    @pass_script_info
    def run(info, host, port, reload, debugger, with_threads, cert, extra_files, exclude_patterns):
        from flask.cli import get_debug_flag, show_server_banner
        from werkzeug.serving import run_simple

        from mapapp.security import RequestHandler

        app = info.load_app()
        debug = get_debug_flag()
        show_server_banner(debug, info.app_import_path)
        hint = host_hint(app, host)
        if hint:
            click.echo(hint, err=True)
        run_simple(host, port, app, use_reloader=debug if reload is None else reload,
                   use_debugger=debug if debugger is None else debugger, threaded=with_threads,
                   ssl_context=cert, extra_files=extra_files, exclude_patterns=exclude_patterns,
                   request_handler=RequestHandler)

    return click.Command("run", callback=run, params=list(flask_run.params), help=flask_run.help,
                         short_help=flask_run.short_help)


main.add_command(_run_command())
