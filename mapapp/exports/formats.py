"""Imports every export format module; each registers itself. One line per format module."""
from mapapp.exports import geojson  # noqa: F401
from mapapp.exports import csv  # noqa: F401
from mapapp.exports import gpkg  # noqa: F401
from mapapp.exports import shapefile  # noqa: F401
from mapapp.exports import kml  # noqa: F401
from mapapp.exports import html_map  # noqa: F401
from mapapp.exports import pdf_report  # noqa: F401
from mapapp.exports import handover  # noqa: F401
