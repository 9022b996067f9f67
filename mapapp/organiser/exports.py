"""``/organiser/exports``: the export form (GET) and the streamed download (GET with ``format``)."""
from datetime import date

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _

from mapapp import categories
from mapapp.auth import organiser_required
from mapapp.db import db
from mapapp.errors import ValidationFailed
from mapapp.exports import export_filename, load_formats
from mapapp.exports.params import flag, parse_selection
from mapapp.models import CONCERN_STATUSES
from mapapp.organiser import bp, queries


def _selection_from_args():
    args = request.args
    return parse_selection(
        walk=args.get("walk"), district=args.get("district"), categories=args.getlist("category"),
        statuses=args.getlist("status"), date_from=args.get("from"), date_to=args.get("to"),
        what=args.get("what", "findings"), photos=flag(args.get("photos", "")),
        text=flag(args.get("text", "")), crs=args.get("crs", "25832"),
    )


def _download(fmt, selection):
    """Stream the export; the writer runs with its own app context and session."""
    from mapapp.exports.streaming import iter_chunks

    app = current_app._get_current_object()

    def run(out):
        with app.app_context():
            fmt.write(db.session, selection, out)

    filename = export_filename(fmt, selection, date.today())
    return Response(iter_chunks(run), mimetype=fmt.media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


@bp.get("/exports")
@organiser_required
def exports():
    formats = load_formats()
    errors: dict[str, str] = {}
    if "format" in request.args:
        fmt = formats.get(request.args["format"])
        if fmt is None:
            errors["format"] = _("Unbekanntes Format.")
        try:
            selection = _selection_from_args()
        except ValidationFailed as err:
            errors.update(err.fields)
        if not errors:
            return _download(fmt, selection)
    return render_template(
        "organiser/exports.html", formats=formats, errors=errors, args=request.args,
        districts=queries.district_options(db.session), categories=categories.list_categories(db.session),
        walks=queries.organiser_walks(db.session), statuses=CONCERN_STATUSES,
    ), 422 if errors else 200
