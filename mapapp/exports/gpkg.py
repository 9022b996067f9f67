"""GeoPackage export: one layer per kind (see gis_layers), EPSG:25832 unless the selection asks 4326.

GDAL writes a GeoPackage into a real file (SQLite), so the layers go into a temporary file that
is then copied to ``out``. Each layer is handed to GDAL as one stream of Arrow record batches
(``pyogrio.raw.write_arrow``): the rows come from PostGIS a batch at a time, so memory stays
bounded, and GDAL writes the whole layer in one session, building its spatial index once at the
end instead of row by row. Field types: text, 32-bit integers, reals and UTC datetimes; JSON
(photos) as text.

What QGIS and other readers find besides the data, all written by GDAL:

- each layer's title and description (``gpkg_contents``), each column's title and description
  (Arrow field metadata, which GDAL stores in ``gpkg_data_columns`` with the schema extension);
- the selection, licence and contact as the dataset's metadata (``gpkg_metadata``);
- a default QML and SLD style per layer in ``layer_styles``, the table QGIS reads when a
  layer is added (see styles.py).

The file is a GeoPackage 1.3: GDAL's default 1.4 brings the 1.4 R-tree triggers (``update5`` to
``update7`` instead of ``update1``/``update3``), which GDAL 3.6, the validator of Debian 12 and
QGIS built on it, reject (requirement 75) or support only partially.
"""
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
from pyogrio import raw as ogr

from mapapp.exports import ExportFormat, register
from mapapp.exports.about import export_settings, filters_in_words
from mapapp.exports.gis_layers import crs, layers
from mapapp.exports.progress import RowCounter, no_progress
from mapapp.exports.styles import layer_styles, qml, sld

ARROW_TYPES = {
    "text": pa.string(), "json": pa.string(), "int": pa.int32(), "float": pa.float64(),
    "datetime": pa.timestamp("ms", tz="UTC"),
}
GEOMETRY = "geom"
VERSION = "1.3"
STYLE_COLUMNS = (
    ("f_table_catalog", pa.string()), ("f_table_schema", pa.string()), ("f_table_name", pa.string()),
    ("f_geometry_column", pa.string()), ("styleName", pa.string()), ("styleQML", pa.string()),
    ("styleSLD", pa.string()), ("useAsDefault", pa.bool_()), ("description", pa.string()),
    ("owner", pa.string()), ("ui", pa.string()), ("update_time", pa.timestamp("ms", tz="UTC")),
)


def write_gpkg(session, selection, out, progress=no_progress) -> None:
    """Write the selection as a GeoPackage into the binary file object ``out``."""
    counter = RowCounter(progress, "rows")
    written = layers(session, selection)
    with tempfile.TemporaryDirectory(prefix="mapapp-gpkg-") as tmp:
        path = Path(tmp) / "export.gpkg"
        for index, layer in enumerate(written):
            step = counter.step if layer.counted else (lambda rows: None)
            schema = _schema(layer)
            stream = pa.RecordBatchReader.from_batches(schema, _record_batches(layer, schema, step))
            first = {"dataset_options": {"VERSION": VERSION},
                     "dataset_metadata": metadata(session, selection)} if index == 0 else {}
            ogr.write_arrow(stream, path, layer=layer.name, driver="GPKG", encoding="UTF-8", append=index > 0,
                            layer_options={"IDENTIFIER": layer.title, "DESCRIPTION": layer.description},
                            **_geometry_options(layer, selection), **first)
        counter.finish()
        _write_styles(session, path, written)
        with path.open("rb") as done:
            shutil.copyfileobj(done, out)


def metadata(session, selection) -> dict[str, str]:
    """The dataset's metadata: what it holds, the selection, licence and contact (German)."""
    licence, contact = export_settings()
    return {
        "TITLE": "Ergebnisse von Ortsbegehungen in Duisburg (Bürgerplattform mapapp)",
        "SELECTION": "\n".join(filters_in_words(session, selection, photos_in="Spalte photos")),
        "LICENCE": licence,
        "CONTACT": contact or "nicht angegeben",
        "CREATED": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "PRIVACY": "Keine personenbezogenen Daten der Teilnehmenden (keine Namen, Kennungen, Cookies, IP-Adressen).",
    }


def _geometry_options(layer, selection) -> dict:
    if layer.geometry_type is None:
        return {}
    return {"geometry_name": GEOMETRY, "geometry_type": layer.geometry_type, "crs": crs(selection)}


def _schema(layer) -> pa.Schema:
    """The layer's Arrow schema; each field carries its title and description for GDAL."""
    fields = [pa.field(field.name, ARROW_TYPES[field.kind],
                       metadata={"GDAL:OGR:alternative_name": field.title, "GDAL:OGR:comment": field.description})
              for field in layer.fields]
    if layer.geometry_type is not None:
        fields.append(pa.field(GEOMETRY, pa.binary()))
    return pa.schema(fields)


def _record_batches(layer, schema: pa.Schema, step):
    """The layer's rows as Arrow record batches, read from PostGIS one batch at a time."""
    for batch in layer.batches():
        arrays = [pa.array(batch.columns[field.source], type=ARROW_TYPES[field.kind]) for field in layer.fields]
        if batch.geometries is not None:
            arrays.append(pa.array(batch.geometries, type=pa.binary()))
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)
        step(len(batch))


def _write_styles(session, path: Path, written) -> None:
    """The ``layer_styles`` table as QGIS defines it: one default style per styled layer."""
    styles = layer_styles(session)
    rows = []
    now = datetime.now(timezone.utc)
    for layer in written:
        style = styles.get(layer.name)
        if style is None:
            continue
        aliases = [(field.name, field.title) for field in layer.fields]
        rows.append(("", "", layer.name, GEOMETRY, layer.name, qml(style, aliases), sld(style), True,
                     style.title, "", None, now))
    schema = pa.schema([pa.field(name, kind) for name, kind in STYLE_COLUMNS])
    columns = [pa.array(values, type=kind) for values, (_name, kind) in zip(zip(*rows), STYLE_COLUMNS)]
    table = pa.Table.from_arrays(columns, schema=schema)
    ogr.write_arrow(table, path, layer="layer_styles", driver="GPKG", encoding="UTF-8", append=True,
                    layer_options={"FID": "id", "DESCRIPTION": "Voreingestellte Stile der Ebenen (QGIS)"})


GPKG = register(ExportFormat("gpkg", "gpkg", "application/geopackage+sqlite3", write_gpkg, label="GeoPackage",
                             default_what="both"))
