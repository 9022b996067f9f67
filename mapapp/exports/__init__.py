"""Exports of findings and concerns: a registry of formats, each streaming into a binary file.

A format module builds an :class:`ExportFormat` and calls :func:`register` at import time;
``mapapp/exports/formats.py`` imports every format module, so ``load_formats()`` (or importing
``mapapp.exports.formats``) fills :data:`FORMATS`. No Flask here: CLI, routes and tests share it.
"""
from dataclasses import dataclass
from typing import BinaryIO, Callable

from mapapp.exports.selection import Selection

Writer = Callable[[object, Selection, BinaryIO], None]


@dataclass(frozen=True)
class ExportFormat:
    """``write(session, selection, out)`` streams the export into ``out`` (a binary file object)."""

    name: str
    extension: str
    media_type: str
    write: Writer
    label: str = ""


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
