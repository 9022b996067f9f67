"""GeoPackage export: one layer per kind (see gis_layers), EPSG:25832 unless the selection asks 4326.

GDAL writes a GeoPackage into a real file (SQLite), so each layer goes into a temporary
file (``append=True`` after the first) that is then copied to ``out``. Field types: text,
32-bit integers, reals and UTC datetimes; JSON (attributes, photos) as text.
"""
import shutil
import tempfile
from pathlib import Path

import numpy as np
from pyogrio import raw as ogr

from mapapp.exports import ExportFormat, register
from mapapp.exports.gis_layers import UTC_FLAG, column, crs, layers
from mapapp.exports.progress import RowCounter, no_progress


def write_gpkg(session, selection, out, progress=no_progress) -> None:
    """Write the selection as a GeoPackage into the binary file object ``out``."""
    counter = RowCounter(progress, "rows")
    with tempfile.TemporaryDirectory(prefix="mapapp-gpkg-") as tmp:
        path = Path(tmp) / "export.gpkg"
        first = True
        for layer in layers(session, selection):
            for index, batch in enumerate(layer.batches()):
                _write_batch(path, layer, batch, selection, append=not first, create_layer=index == 0)
                first = False
                if layer.name != "districts":
                    counter.step(len(batch))
        counter.finish()
        with path.open("rb") as written:
            shutil.copyfileobj(written, out)


def _write_batch(path, layer, batch, selection, *, append: bool, create_layer: bool) -> None:
    data, masks, names, offsets = [], [], [], {}
    for field in layer.fields:
        values, mask = column(batch, field)
        data.append(values)
        masks.append(mask)
        names.append(field.name)
        if field.kind == "datetime":
            offsets[field.name] = np.full(len(batch), UTC_FLAG, dtype="int32")
    options = {"IDENTIFIER": layer.title, "DESCRIPTION": layer.description} if create_layer else None
    ogr.write(
        path, batch.geometries, data, names, field_mask=masks, layer=layer.name, driver="GPKG",
        geometry_type=layer.geometry_type, crs=crs(selection), encoding="UTF-8",
        append=append, gdal_tz_offsets=offsets, layer_options=options,
    )


GPKG = register(ExportFormat("gpkg", "gpkg", "application/geopackage+sqlite3", write_gpkg, label="GeoPackage"))
