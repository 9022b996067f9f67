"""``mapapp export FORMAT --out PATH …`` (synchronous, through the format registry) and
``mapapp export worker [--once]`` (runs the queued background export jobs).

``export`` is a group whose unknown first word is taken as FORMAT, so ``mapapp export gpkg
--out x.gpkg`` keeps working beside the ``worker`` sub-command.
"""
import os
import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from mapapp.errors import DomainError


class _FormatOrCommand(click.Group):
    """A group that hands ``FORMAT …`` to its ``write`` command when FORMAT is no sub-command."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "write", self.commands["write"], args
        return super().resolve_command(ctx, args)


@click.group("export", cls=_FormatOrCommand)
def export():
    """Write exports (`mapapp export FORMAT --out PATH …`) or run background jobs (`worker`)."""


class _StderrProgress:
    """Prints the stage and row count to standard error, at most every 2 seconds."""

    def __init__(self):
        self.last = 0.0

    def __call__(self, stage, done):
        now = time.monotonic()
        if now - self.last >= 2:
            self.last = now
            click.echo(f"{stage}: {done}", err=True)


@export.command("write")
@click.argument("format_name", metavar="FORMAT")
@click.option("--out", "out", required=True, help="Output file; '-' for standard output.")
@click.option("--walk", help="Walk id (uuid).")
@click.option("--district", help="Ortsteil or Stadtbezirk, by code or name.")
@click.option("--category", "categories", multiple=True, help="Category slug (repeatable).")
@click.option("--status", "statuses", multiple=True, help="Status (repeatable).")
@click.option("--from", "date_from", help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Last day (YYYY-MM-DD).")
@click.option("--what", type=click.Choice(["findings", "concerns", "both"]),
              help="What to export; default: both for gpkg, shapefile, kml and handover, else findings.")
@click.option("--photos/--no-photos", default=False, help="List photos of each finding.")
@click.option("--text/--no-text", default=True, help="Include free text (descriptions).")
@click.option("--crs", type=click.Choice(["25832", "4326"]), default="25832", help="CRS of the geometry.")
@with_appcontext
def write(format_name, out, walk, district, categories, statuses, date_from, date_to, what, photos,
          text, crs):
    """Write the selected findings/concerns as FORMAT (see `mapapp export --help` for the list)."""
    from mapapp.db import db
    from mapapp.exports import load_formats
    from mapapp.exports.params import parse_selection

    formats = load_formats()
    fmt = formats.get(format_name)
    if fmt is None:
        raise click.BadParameter(f"unknown format; known: {', '.join(sorted(formats))}",
                                 param_hint="FORMAT")
    try:
        selection = parse_selection(
            walk=walk, district=district, categories=categories, statuses=statuses,
            date_from=date_from, date_to=date_to, what=what or fmt.default_what, photos=photos, text=text, crs=crs,
        )
    except DomainError as exc:
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from None
    if selection.walk_id and not _walk_exists(db.session, selection.walk_id):
        raise click.BadParameter(f"no walk with id {selection.walk_id}", param_hint="--walk")
    progress = _StderrProgress() if sys.stderr.isatty() else None
    if out == "-":
        _write(fmt, db.session, selection, sys.stdout.buffer, progress)
    else:
        _write_file(fmt, db.session, selection, Path(out), progress)


def _walk_exists(session, walk_id) -> bool:
    from sqlalchemy import text

    return session.execute(text("SELECT 1 FROM walks WHERE id = CAST(:id AS uuid)"), {"id": walk_id}).first() is not None


def _write(fmt, session, selection, stream, progress) -> None:
    if progress:
        fmt.write(session, selection, stream, progress=progress)
    else:
        fmt.write(session, selection, stream)
    stream.flush()


def _write_file(fmt, session, selection, path: Path, progress) -> None:
    """Write beside ``path`` and rename when complete: a failed export leaves no file, not a half one."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as stream:
            _write(fmt, session, selection, stream, progress)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@export.command("worker")
@click.option("--once", is_flag=True, help="Run the queued jobs, then exit.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between looks at the queue.")
@with_appcontext
def worker(once, poll):
    """Run queued background export jobs (for MAPAPP_EXPORT_JOBS_IN_PROCESS=false)."""
    from flask import current_app

    from mapapp.db import db
    from mapapp.exports.runner import drain

    app = current_app._get_current_object()
    while True:
        ran = drain(app, db.session)
        if ran:
            click.echo(f"export worker: {ran} job(s) run")
        if once:
            return
        time.sleep(poll)
