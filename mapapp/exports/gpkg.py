"""GeoPackage export: one layer per kind (see gis_layers), EPSG:25832 unless the selection asks 4326.

GDAL writes a GeoPackage into a real file (SQLite), so the layers go into a temporary file that
is then copied to ``out``. Each layer is handed to GDAL as one stream of Arrow record batches
(``pyogrio.raw.write_arrow``): the rows come from PostGIS a batch at a time, so memory stays
bounded, and GDAL writes the whole layer in one session, building its spatial index once at the
end instead of row by row. Field types: text, 32-bit integers, reals and UTC datetimes; JSON
(attributes, photos) as text.
"""
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
from pyogrio import raw as ogr

from mapapp.exports import ExportFormat, register
from mapapp.exports.gis_layers import crs, layers
from mapapp.exports.progress import RowCounter, no_progress

ARROW_TYPES = {
    "text": pa.string(), "json": pa.string(), "int": pa.int32(), "float": pa.float64(),
    "datetime": pa.timestamp("ms", tz="UTC"),
}
GEOMETRY = "geom"


def write_gpkg(session, selection, out, progress=no_progress) -> None:
    """Write the selection as a GeoPackage into the binary file object ``out``."""
    counter = RowCounter(progress, "rows")
    with tempfile.TemporaryDirectory(prefix="mapapp-gpkg-") as tmp:
        path = Path(tmp) / "export.gpkg"
        for index, layer in enumerate(layers(session, selection)):
            schema = _schema(layer)
            step = counter.step if layer.name != "districts" else (lambda rows: None)
            stream = pa.RecordBatchReader.from_batches(schema, _record_batches(layer, schema, step))
            ogr.write_arrow(
                stream, path, layer=layer.name, driver="GPKG", geometry_name=GEOMETRY,
                geometry_type=layer.geometry_type, crs=crs(selection), encoding="UTF-8", append=index > 0,
                layer_options={"IDENTIFIER": layer.title, "DESCRIPTION": layer.description,
                               "GEOMETRY_NAME": GEOMETRY},
            )
        counter.finish()
        with path.open("rb") as written:
            shutil.copyfileobj(written, out)


def _schema(layer) -> pa.Schema:
    fields = [pa.field(field.name, ARROW_TYPES[field.kind]) for field in layer.fields]
    return pa.schema(fields + [pa.field(GEOMETRY, pa.binary())])


def _record_batches(layer, schema: pa.Schema, step):
    """The layer's rows as Arrow record batches, read from PostGIS one batch at a time."""
    for batch in layer.batches():
        arrays = [pa.array(batch.columns[field.source], type=ARROW_TYPES[field.kind]) for field in layer.fields]
        arrays.append(pa.array(batch.geometries, type=pa.binary()))
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)
        step(len(batch))


GPKG = register(ExportFormat("gpkg", "gpkg", "application/geopackage+sqlite3", write_gpkg, label="GeoPackage"))
