"""Zipped Shapefiles: one per layer (see gis_layers), with ``.prj``, ``.cpg`` (UTF-8) and ``.qml``.

dBASE allows field names of 10 characters, text of 254 bytes and dates without time, so:
each field has a short name; ``fields.csv`` in the zip maps short name → full name → title →
description, and counts per field the texts cut at 254 bytes (``truncated``), each of which
``truncated.csv`` lists (layer, the row's first field, field, full length in bytes: the
GeoPackage keeps them whole); a datetime becomes a date field plus the exact time as ISO 8601
UTC text (``<name>_t``). A table without geometry (``finding_answers``) is a lone ``.dbf``.
Each drawn layer has its default style beside it as ``<layer>.qml``, which QGIS loads with it.
"""
import csv
import io
import shutil
import tempfile
import time
import warnings
import zipfile
from datetime import timezone
from pathlib import Path

import numpy as np

from pyogrio import raw as ogr

from mapapp.exports import ExportFormat, register
from mapapp.exports.gis_layers import Batch, Field, crs, layers
from mapapp.exports.progress import RowCounter, no_progress
from mapapp.exports.styles import layer_styles, qml

FIELD_SUFFIXES = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qml")
TEXT_BYTES = 254  # the longest text a dBASE field holds


def column(batch: Batch, field: Field):
    """Return ``(values, mask)`` for pyogrio: typed numpy arrays (datetimes as UTC dates, all
    dBASE holds), ``mask`` True where NULL."""
    values = batch.columns[field.source]
    missing = np.array([value is None for value in values], dtype=bool)
    if field.kind == "int":
        data = np.array([0 if v is None else int(v) for v in values], dtype="int32")
        return data, missing
    if field.kind == "float":
        return np.array([np.nan if v is None else float(v) for v in values], dtype="float64"), None
    if field.kind == "datetime":
        utc = [None if v is None else v.astimezone(timezone.utc).replace(tzinfo=None) for v in values]
        return np.array([np.datetime64("NaT") if v is None else np.datetime64(v) for v in utc],
                        dtype="datetime64[D]"), None
    return np.array([None if v is None else str(v) for v in values], dtype=object), None


def iso_utc(batch: Batch, field: Field) -> np.ndarray:
    """The datetime ``field`` as ISO 8601 UTC text (Shapefiles hold only a date)."""
    return np.array([None if value is None else
                     value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
                     for value in batch.columns[field.source]], dtype=object)


def shapefile_columns(layer, batch):
    """Yield ``(short name, field, description, values, mask)`` for each dBASE column."""
    for field in layer.fields:
        values, mask = column(batch, field)
        if field.kind == "datetime":
            yield field.short, field, f"{field.description}, nur Datum", values, mask
            yield f"{field.short}_t", field, f"{field.description}, ISO 8601", iso_utc(batch, field), None
        else:
            yield field.short, field, field.description, values, mask


def cut_texts(values: np.ndarray) -> list[tuple[int, int]]:
    """(row index, length in bytes) of each text longer than dBASE holds."""
    if values.dtype != object:
        return []
    lengths = ((index, len(value.encode("utf-8"))) for index, value in enumerate(values) if value is not None)
    return [(index, size) for index, size in lengths if size > TEXT_BYTES]


class FieldTable:
    """The rows of ``fields.csv`` and ``truncated.csv``, counted over every batch of every layer."""

    def __init__(self):
        self.columns: dict[tuple[str, str], list] = {}
        self.cut: list[tuple[str, str, str, int]] = [("layer", "row", "field", "bytes")]

    def add(self, layer, short: str, field: Field, description: str, values: np.ndarray, keys) -> None:
        """Note a column of one batch; ``keys``: the batch's values of the layer's first field."""
        entry = self.columns.setdefault((layer.name, short), [field.name, field.title, description, 0])
        for index, size in cut_texts(values):
            entry[3] += 1
            self.cut.append((layer.name, str(keys[index]), short, size))

    def rows(self) -> list[tuple]:
        return [("layer", "short_name", "full_name", "title", "description", "truncated")] + [
            (layer, short, *entry) for (layer, short), entry in self.columns.items()]


def write_layer(directory: Path, layer, selection, table: FieldTable, counter=None) -> None:
    """Write ``layer`` as ``<name>.shp`` (a table: ``<name>.dbf``) in ``directory``, batch by batch,
    noting its columns and cut texts in ``table``."""
    for index, batch in enumerate(layer.batches()):
        keys = batch.columns[layer.fields[0].source]
        data, masks, names = [], [], []
        for short, field, description, values, mask in shapefile_columns(layer, batch):
            table.add(layer, short, field, description, values, keys)
            data.append(values)
            masks.append(mask)
            names.append(short)
        geometry = {"geometry_type": layer.geometry_type, "crs": crs(selection)} if layer.geometry_type else {}
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*truncated to 254 characters.*")
            ogr.write(
                directory / f"{layer.name}.{'shp' if layer.geometry_type else 'dbf'}", batch.geometries, data,
                names, field_mask=masks, layer=layer.name, driver="ESRI Shapefile", encoding="UTF-8",
                append=index > 0, **geometry,
            )
        if counter and layer.counted:
            counter.step(len(batch))


def write_styles(directory: Path, session, written) -> None:
    """``<layer>.qml`` beside each drawn layer, with the short field names' titles as aliases."""
    styles = layer_styles(session)
    for layer in written:
        if layer.name in styles:
            aliases = []
            for field in layer.fields:
                aliases.append((field.short, field.title))
                if field.kind == "datetime":
                    aliases.append((f"{field.short}_t", f"{field.title} (Uhrzeit)"))
            (directory / f"{layer.name}.qml").write_text(qml(styles[layer.name], aliases), encoding="utf-8")


def _member(name: str) -> zipfile.ZipInfo:
    """A zip member readable by everyone, whatever the umask (``writestr`` of a name gives 0600)."""
    info = zipfile.ZipInfo(name, time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_shapefile_zip(session, selection, out, progress=no_progress) -> None:
    """Write every layer as a Shapefile, zip them with ``fields.csv`` and ``truncated.csv`` into ``out``."""
    counter = RowCounter(progress, "rows")
    table = FieldTable()
    with tempfile.TemporaryDirectory(prefix="mapapp-shp-") as tmp:
        directory = Path(tmp)
        written = layers(session, selection)
        for layer in written:
            write_layer(directory, layer, selection, table, counter)
        counter.finish()
        write_styles(directory, session, written)
        progress("pack", counter.done)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for layer in written:
                for suffix in FIELD_SUFFIXES:
                    path = directory / f"{layer.name}{suffix}"
                    if path.exists():
                        with path.open("rb") as source, archive.open(_member(path.name), "w") as member:
                            shutil.copyfileobj(source, member)
            archive.writestr(_member("fields.csv"), _csv(table.rows()))
            archive.writestr(_member("truncated.csv"), _csv(table.cut))


SHAPEFILE = register(ExportFormat("shapefile", "zip", "application/zip", write_shapefile_zip,
                                  label="Shapefile (ZIP)", default_what="both"))
