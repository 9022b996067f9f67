"""``mapapp export FORMAT --out PATH …``: one command dispatching through the format registry."""
import click
from flask.cli import with_appcontext

from mapapp.errors import DomainError


@click.command("export")
@click.argument("format_name", metavar="FORMAT")
@click.option("--out", "out", required=True, type=click.File("wb", lazy=False),
              help="Output file; '-' for standard output.")
@click.option("--walk", help="Walk id (uuid).")
@click.option("--district", help="Ortsteil or Stadtbezirk, by code or name.")
@click.option("--category", "categories", multiple=True, help="Category slug (repeatable).")
@click.option("--status", "statuses", multiple=True, help="Status (repeatable).")
@click.option("--from", "date_from", help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Last day (YYYY-MM-DD).")
@click.option("--what", type=click.Choice(["findings", "concerns", "both"]), default="findings")
@click.option("--photos/--no-photos", default=False, help="List photos of each finding.")
@click.option("--text/--no-text", default=True, help="Include free text (descriptions).")
@click.option("--crs", type=click.Choice(["25832", "4326"]), default="25832", help="CRS of the geometry.")
@with_appcontext
def export(format_name, out, walk, district, categories, statuses, date_from, date_to, what, photos,
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
            date_from=date_from, date_to=date_to, what=what, photos=photos, text=text, crs=crs,
        )
    except DomainError as exc:
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from None
    fmt.write(db.session, selection, out)
    out.flush()
