"""The database schema as SQLAlchemy tables, one module per capability: what the migrations must build.

The migrations (migrations/versions) create the database; tests/test_migrations.py checks
that they build exactly these tables (``db.metadata``). The app's queries are SQL text, so
these classes are mostly the schema's declaration, not an object model.

Geometries are stored in EPSG:4326 with a GiST index each; distances and areas are
computed in EPSG:25832 (metres) inside the queries that need them.
"""
from mapapp.db.schema import accounts, districts, exports, findings, mapdata, open311, review, walks  # noqa: F401
