"""``/organiser/exports/jobs/<id>``: a background export's page, its progress as JSON, its file.

The page shows a ``<progress>`` bar that static/js/organiser/export-job.js keeps up to date from the
JSON; the download appears when the job is done. Organisers only.
"""
from flask import Response, abort, current_app, jsonify, render_template, send_file, url_for
from flask_babel import gettext as _

from mapapp.auth import organiser_required
from mapapp.db import db
from mapapp.exports import load_formats
from mapapp.exports.jobs import get_job, job_path
from mapapp.exports.runner import export_dir
from mapapp.i18n import local_time
from mapapp.organiser import bp


def _stage_labels() -> dict[str, str]:
    return {"count": _("Einträge zählen"), "rows": _("Einträge schreiben"), "map": _("Karte zeichnen"),
            "list": _("Liste schreiben"), "pdf": _("PDF zusammenstellen"), "pack": _("Dateien packen"),
            "fotos": _("Fotos einpacken"), "done": _("Fertig")}


def _state_labels() -> dict[str, str]:
    return {"queued": _("Wartet"), "running": _("Läuft"), "done": _("Fertig"), "failed": _("Fehlgeschlagen")}


def stage_label(stage: str | None) -> str:
    """``daten.gpkg:rows`` → ``daten.gpkg – Einträge schreiben``."""
    if not stage:
        return ""
    member, _sep, key = stage.rpartition(":")
    label = _stage_labels().get(key, key)
    return f"{member} – {label}" if member else label


def job_view(job: dict) -> dict:
    """What the page, the list and the JSON show of a job (no user data)."""
    formats = load_formats()
    fmt = formats.get(job["format"])
    done = job["state"] == "done"
    return {
        "id": str(job["id"]), "format": job["format"], "format_label": fmt.label if fmt else job["format"],
        "state": job["state"], "state_label": _state_labels().get(job["state"], job["state"]),
        "stage": job["stage"], "stage_label": stage_label(job["stage"]),
        "progress": job["progress"] or 0, "total": job["total"], "error": job["error"],
        "file_name": job["file_name"] if done else None, "size_bytes": job["size_bytes"] if done else None,
        "created_at": job["created_at"].isoformat() if job["created_at"] else None,
        "finished_at": job["finished_at"].isoformat() if job["finished_at"] else None,
        "created_at_local": local_time(job["created_at"]), "finished_at_local": local_time(job["finished_at"]),
        "url": url_for("organiser.export_job", job_id=job["id"]),
        "download_url": url_for("organiser.export_job_download", job_id=job["id"]) if done else None,
    }


def _job_or_404(job_id) -> dict:
    job = get_job(db.session, job_id)
    if job is None:
        abort(404)
    return job


@bp.get("/exports/jobs/<uuid:job_id>")
@organiser_required
def export_job(job_id):
    job = job_view(_job_or_404(job_id))
    return render_template("organiser/export_job.html", job=job,
                           status_url=url_for("organiser.export_job_status", job_id=job_id),
                           download_url=url_for("organiser.export_job_download", job_id=job_id))


@bp.get("/exports/jobs/<uuid:job_id>.json")
@organiser_required
def export_job_status(job_id):
    response = jsonify(job_view(_job_or_404(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/exports/jobs/<uuid:job_id>/download")
@organiser_required
def export_job_download(job_id) -> Response:
    job = _job_or_404(job_id)
    fmt = load_formats().get(job["format"])
    path = job_path(export_dir(current_app.config), job["id"], fmt.extension) if fmt else None
    if job["state"] != "done" or path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=fmt.media_type, conditional=False, max_age=0)
    response.headers["Content-Disposition"] = f'attachment; filename="{job["file_name"]}"'
    response.headers["Cache-Control"] = "no-store"
    return response
