"""Initial schema: PostGIS, districts, categories, walks, findings, district-assignment trigger.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry

ASSIGN_DISTRICTS = """
CREATE FUNCTION findings_assign_districts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    anchor geometry;
BEGIN
    -- A line is placed by its midpoint, a point by itself.
    anchor := CASE WHEN GeometryType(NEW.geom) = 'LINESTRING'
                   THEN ST_LineInterpolatePoint(NEW.geom, 0.5) ELSE NEW.geom END;
    SELECT d.id, d.parent_id INTO NEW.ortsteil_id, NEW.stadtbezirk_id
    FROM districts d
    WHERE d.level = 'ortsteil' AND ST_Covers(d.geom, anchor)
    ORDER BY d.id LIMIT 1;
    IF NEW.stadtbezirk_id IS NULL THEN
        SELECT d.id INTO NEW.stadtbezirk_id
        FROM districts d
        WHERE d.level = 'stadtbezirk' AND ST_Covers(d.geom, anchor)
        ORDER BY d.id LIMIT 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER findings_assign_districts
    BEFORE INSERT OR UPDATE OF geom ON findings
    FOR EACH ROW EXECUTE FUNCTION findings_assign_districts();
"""

TOUCH_UPDATED_AT = """
CREATE FUNCTION findings_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.category_slug, NEW.description, NEW.status, NEW.walk_id, NEW.accuracy_m)
           IS DISTINCT FROM (OLD.category_slug, OLD.description, OLD.status, OLD.walk_id, OLD.accuracy_m)
       OR NOT ST_Equals(NEW.geom, OLD.geom) THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER findings_touch_updated_at
    BEFORE UPDATE ON findings
    FOR EACH ROW EXECUTE FUNCTION findings_touch_updated_at();
"""

CATEGORIES = [
    ("cycle_path", "Radweg kaputt oder unsicher", "Broken or unsafe cycle path", "🚲", 10),
    ("noise", "Lärm", "Noise", "🔊", 20),
    ("empty_shop", "Leeres Ladenlokal", "Empty shop unit", "🏚️", 30),
    ("youth_offer", "Angebot für Kinder und Jugendliche fehlt oder ist kaputt",
     "Missing or broken offer for children and youth", "🧒", 40),
    ("litter", "Müll und Schmutz", "Litter and dirt", "🗑️", 50),
    ("lighting", "Beleuchtung", "Lighting", "💡", 60),
    ("barrier", "Barriere", "Barrier to access", "♿", 70),
    ("public_space", "Nutzung des öffentlichen Raums", "Use of public space", "🪑", 80),
    ("other", "Sonstiges", "Other", "📍", 90),
]


def seed_categories():
    table = sa.table(
        "categories",
        sa.column("slug", sa.String), sa.column("label_de", sa.String), sa.column("label_en", sa.String),
        sa.column("icon", sa.String), sa.column("sort", sa.Integer),
    )
    op.bulk_insert(table, [
        dict(slug=s, label_de=de, label_en=en, icon=icon, sort=sort) for s, de, en, icon, sort in CATEGORIES
    ])

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table('categories',
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('label_de', sa.String(length=120), nullable=False),
    sa.Column('label_en', sa.String(length=120), nullable=False),
    sa.Column('icon', sa.String(length=16), nullable=False),
    sa.Column('sort', sa.Integer(), server_default='100', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='true', nullable=False),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_categories'))
    )
    op.create_geospatial_table('districts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('approximate', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("level IN ('stadtbezirk', 'ortsteil')", name=op.f('ck_districts_level')),
    sa.ForeignKeyConstraint(['parent_id'], ['districts.id'], name=op.f('fk_districts_parent_id_districts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_districts')),
    sa.UniqueConstraint('level', 'code', name='level_code')
    )
    op.create_geospatial_index('idx_districts_geom', 'districts', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_table('walks',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stadtbezirk_id', sa.Integer(), nullable=True),
    sa.Column('ortsteil_id', sa.Integer(), nullable=True),
    sa.Column('meeting_point', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['ortsteil_id'], ['districts.id'], name=op.f('fk_walks_ortsteil_id_districts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stadtbezirk_id'], ['districts.id'], name=op.f('fk_walks_stadtbezirk_id_districts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walks'))
    )
    op.create_geospatial_index('idx_walks_meeting_point', 'walks', ['meeting_point'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_table('findings',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('walk_id', sa.UUID(), nullable=True),
    sa.Column('category_slug', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('geom', Geometry(srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('ortsteil_id', sa.Integer(), nullable=True),
    sa.Column('stadtbezirk_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='new', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("GeometryType(geom) IN ('POINT', 'LINESTRING')", name=op.f('ck_findings_geom_type')),
    sa.CheckConstraint("status IN ('new', 'in_review', 'confirmed', 'handed_over', 'resolved', 'rejected')", name=op.f('ck_findings_status')),
    sa.CheckConstraint('accuracy_m IS NULL OR accuracy_m >= 0', name=op.f('ck_findings_accuracy')),
    sa.ForeignKeyConstraint(['category_slug'], ['categories.slug'], name=op.f('fk_findings_category_slug_categories')),
    sa.ForeignKeyConstraint(['ortsteil_id'], ['districts.id'], name=op.f('fk_findings_ortsteil_id_districts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stadtbezirk_id'], ['districts.id'], name=op.f('fk_findings_stadtbezirk_id_districts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['walk_id'], ['walks.id'], name=op.f('fk_findings_walk_id_walks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    op.create_geospatial_index('idx_findings_geom', 'findings', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_findings_category_slug'), 'findings', ['category_slug'], unique=False)
    op.create_index(op.f('ix_findings_ortsteil_id'), 'findings', ['ortsteil_id'], unique=False)
    op.create_index(op.f('ix_findings_stadtbezirk_id'), 'findings', ['stadtbezirk_id'], unique=False)
    op.create_index(op.f('ix_findings_walk_id'), 'findings', ['walk_id'], unique=False)
    op.execute(ASSIGN_DISTRICTS)
    op.execute(TOUCH_UPDATED_AT)
    seed_categories()


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS findings_touch_updated_at ON findings")
    op.execute("DROP TRIGGER IF EXISTS findings_assign_districts ON findings")
    op.execute("DROP FUNCTION IF EXISTS findings_touch_updated_at()")
    op.execute("DROP FUNCTION IF EXISTS findings_assign_districts()")
    op.drop_index(op.f('ix_findings_walk_id'), table_name='findings')
    op.drop_index(op.f('ix_findings_stadtbezirk_id'), table_name='findings')
    op.drop_index(op.f('ix_findings_ortsteil_id'), table_name='findings')
    op.drop_index(op.f('ix_findings_category_slug'), table_name='findings')
    op.drop_geospatial_index('idx_findings_geom', table_name='findings', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('findings')
    op.drop_geospatial_index('idx_walks_meeting_point', table_name='walks', postgresql_using='gist', column_name='meeting_point')
    op.drop_geospatial_table('walks')
    op.drop_geospatial_index('idx_districts_geom', table_name='districts', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('districts')
    op.drop_table('categories')
