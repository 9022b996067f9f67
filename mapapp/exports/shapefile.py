"""Zipped Shapefiles: one per layer (see gis_layers), with ``.prj`` and ``.cpg`` (UTF-8).

dBASE allows field names of 10 characters, text of 254 bytes and dates without time, so:
each field has a short name; ``fields.csv`` in the zip maps short name → full name →
description; a datetime becomes a date field plus the exact time as ISO 8601 UTC text
(``<name>_t``); longer text is cut at 254 bytes (the GeoPackage keeps it whole).
"""
import csv
import io
import tempfile
import warnings
import zipfile
from datetime import timezone
from pathlib import Path

import numpy as np

from pyogrio import raw as ogr

from mapapp.exports import ExportFormat, register
from mapapp.exports.gis_layers import Batch, Field, crs, layers
from mapapp.exports.progress import RowCounter, no_progress

FIELD_SUFFIXES = (".shp", ".shx", ".dbf", ".prj", ".cpg")


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
    """Yield ``(short name, full name, description, values, mask)`` for each dBASE column."""
    for field in layer.fields:
        values, mask = column(batch, field)
        if field.kind == "datetime":
            yield field.short, field.name, f"{field.description}, nur Datum", values, mask
            yield f"{field.short}_t", field.name, f"{field.description}, ISO 8601", iso_utc(batch, field), None
        else:
            yield field.short, field.name, field.description, values, mask


def write_layer(directory: Path, layer, selection, counter=None) -> list[tuple[str, str, str, str]]:
    """Write ``layer`` as ``<name>.shp`` in ``directory``, batch by batch; return its field table rows."""
    table = []
    for index, batch in enumerate(layer.batches()):
        data, masks, names = [], [], []
        table = []
        for short, full, description, values, mask in shapefile_columns(layer, batch):
            table.append((layer.name, short, full, description))
            data.append(values)
            masks.append(mask)
            names.append(short)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*truncated to 254 characters.*")
            ogr.write(
                directory / f"{layer.name}.shp", batch.geometries, data, names, field_mask=masks,
                layer=layer.name, driver="ESRI Shapefile", geometry_type=layer.geometry_type,
                crs=crs(selection), encoding="UTF-8", append=index > 0,
            )
        if counter and layer.name != "districts":
            counter.step(len(batch))
    return table


def write_shapefile_zip(session, selection, out, progress=no_progress) -> None:
    """Write every layer as a Shapefile, zip them with ``fields.csv`` into ``out``."""
    counter = RowCounter(progress, "rows")
    table = [("layer", "short_name", "full_name", "description")]
    with tempfile.TemporaryDirectory(prefix="mapapp-shp-") as tmp:
        directory = Path(tmp)
        written = []
        for layer in layers(session, selection):
            table += write_layer(directory, layer, selection, counter)
            written.append(layer.name)
        counter.finish()
        progress("pack", counter.done)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in written:
                for suffix in FIELD_SUFFIXES:
                    path = directory / f"{name}{suffix}"
                    if path.exists():
                        archive.write(path, path.name)
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(table)
            archive.writestr("fields.csv", buffer.getvalue().encode("utf-8"))


SHAPEFILE = register(ExportFormat("shapefile", "zip", "application/zip", write_shapefile_zip,
                                  label="Shapefile (ZIP)"))
