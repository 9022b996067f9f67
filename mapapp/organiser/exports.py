"""``/organiser/exports``: the export form (GET), the streamed download (GET with ``format``, or
POST of the form for GeoJSON/CSV/KML), and background jobs for the large formats (POST →
job page, see export_jobs.py)."""
from datetime import date

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import gettext as _

from mapapp.findings import categories
from mapapp.auth import organiser_required
from mapapp.db import db
from mapapp.errors import ValidationFailed
from mapapp.exports import export_filename, load_formats
from mapapp.exports.params import flag, parse_selection
from mapapp.statuses import CONCERN_STATUSES
from mapapp.organiser import bp
from mapapp.walks import queries


# Formats made as a background job with a progress page; the others stream straight to the browser.
JOB_FORMATS = ("gpkg", "shapefile", "html", "pdf", "handover")


def _params(args, fmt=None) -> dict:
    """The form's values as the plain keyword arguments of parse_selection (stored in a job);
    without ``what``, the format's default."""
    return dict(
        walk=args.get("walk"), district=args.get("district"), categories=args.getlist("category"),
        statuses=args.getlist("status"), date_from=args.get("from"), date_to=args.get("to"),
        what=args.get("what") or (fmt.default_what if fmt else "findings"), photos=flag(args.get("photos", "")),
        text=flag(args.get("text", "")), crs=args.get("crs", "25832"),
    )


def _selection_from_args(args, fmt):
    return parse_selection(**_params(args, fmt))


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


def _form_page(formats, errors, args):
    from mapapp.exports.jobs import recent_jobs
    from mapapp.organiser.export_jobs import job_view

    return render_template(
        "organiser/exports.html", formats=formats, errors=errors, args=args, job_formats=JOB_FORMATS,
        districts=queries.district_options(db.session), categories=categories.list_categories(db.session),
        walks=queries.organiser_walks(db.session), statuses=CONCERN_STATUSES,
        jobs=[job_view(job) for job in recent_jobs(db.session, 10)],
    ), 422 if errors else 200


def _checked(formats, args):
    """(format, selection, errors) of the submitted values."""
    errors: dict[str, str] = {}
    fmt, selection = formats.get(args.get("format")), None
    if fmt is None:
        errors["format"] = _("Unbekanntes Format.")
    try:
        selection = _selection_from_args(args, fmt)
    except ValidationFailed as err:
        errors.update(err.fields)
    return fmt, selection, errors


@bp.get("/exports")
@organiser_required
def exports():
    formats = load_formats()
    if "format" in request.args:
        fmt, selection, errors = _checked(formats, request.args)
        if not errors:
            return _download(fmt, selection)
        return _form_page(formats, errors, request.args)
    return _form_page(formats, {}, request.args)


@bp.post("/exports")
@organiser_required
def start_export():
    """The form: large formats become a background job (→ its page), the others stream at once."""
    from mapapp.exports.jobs import create_job

    formats = load_formats()
    fmt, selection, errors = _checked(formats, request.form)
    if errors:
        return _form_page(formats, errors, request.form)
    if fmt.name not in JOB_FORMATS:
        return _download(fmt, selection)
    job_id = create_job(db.session, fmt.name, _params(request.form, fmt), current_user.id)
    current_app.extensions["export_jobs"].submit()
    return redirect(url_for("organiser.export_job", job_id=job_id), 303)
