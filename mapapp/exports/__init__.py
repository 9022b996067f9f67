"""Exports of findings and concerns: a registry of formats, each streaming into a binary file.

A format module builds an :class:`ExportFormat` and calls :func:`register` at import time;
``mapapp/exports/formats.py`` imports every format module, so ``load_formats()`` (or importing
``mapapp.exports.formats``) fills :data:`FORMATS`. No Flask here: CLI, routes and tests share it.
"""
from dataclasses import dataclass
from typing import Callable

from mapapp.exports.progress import Progress, no_progress  # noqa: F401  (re-exported for writers)
from mapapp.exports.selection import Selection

# write(session, selection, out, progress=no_progress): ``progress(stage, rows_done)``, see progress.py
Writer = Callable[..., None]


@dataclass(frozen=True)
class ExportFormat:
    """``write(session, selection, out, progress=no_progress)`` streams the export into ``out``
    (a binary file object), calling ``progress(stage, rows_done)`` as it goes. ``default_what``:
    what it holds when the request does not say (formats that keep findings and concerns apart,
    in layers or folders, hold both)."""

    name: str
    extension: str
    media_type: str
    write: Writer
    label: str = ""
    default_what: str = "findings"


FORMATS: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    """Add ``fmt`` to :data:`FORMATS` under its name (re-registering replaces it)."""
    FORMATS[fmt.name] = fmt
    return fmt


def load_formats() -> dict[str, ExportFormat]:
    """Import every format module (see formats.py) and return the filled registry."""
    from mapapp.exports import formats  # noqa: F401  (modules register themselves)

    return FORMATS


def export_filename(fmt: ExportFormat, selection: Selection, today) -> str:
    """A download name like ``mapapp-findings-2026-11-25.geojson``."""
    return f"mapapp-{selection.what}-{today.isoformat()}.{fmt.extension}"
