"""Migrations build the schema from empty, match mapapp/db/schema/, and go down and up again."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from mapapp.db import alembic_include_object, db
from tests.conftest import TEST_DATABASE, fresh_database, make_app


@pytest.fixture(scope="module")
def empty_app():
    return make_app(fresh_database(f"{TEST_DATABASE}_migrations"))


def schema_diff():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": alembic_include_object, "compare_type": True}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models(empty_app):
    with empty_app.app_context():
        upgrade()
        assert schema_diff() == []
        assert db.session.execute(text("SELECT count(*) FROM categories")).scalar() == 9
        assert db.session.execute(text("SELECT postgis_version()")).scalar()


def test_every_geometry_column_has_a_gist_index(empty_app):
    with empty_app.app_context():
        upgrade()
        columns = db.session.execute(text(
            "SELECT f_table_name, f_geometry_column FROM geometry_columns WHERE f_table_schema = 'public' "
            "AND f_table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = 'public')"
        )).all()  # tables only: the public views (0009) use their indexes
        assert len(columns) == 5
        for table, column in columns:
            gist = db.session.execute(text("""
                SELECT count(*) FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                WHERE i.indrelid = CAST(:table AS regclass) AND a.attname = :column AND am.amname = 'gist'
            """), {"table": table, "column": column}).scalar()
            assert gist == 1, f"{table}.{column} has no GiST index"


def test_downgrade_to_empty_and_up_again(empty_app):
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version", "spatial_ref_sys"}
        upgrade()
        assert "findings" in inspect(db.engine).get_table_names()
    with empty_app.app_context():
        db.engine.dispose()
