"""Capture on walks: organisers, participants, category questions, +1s, photos, walk routes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql


def _choices(*pairs):
    return [{"key": key, "label_de": de, "label_en": en} for key, de, en in pairs]


YES_NO = _choices(("yes", "Ja", "Yes"), ("no", "Nein", "No"), ("unknown", "Weiß nicht", "Don't know"))

ATTRIBUTES = [
    ("empty_shop", "ground_floor", "singlevaluelist", False, "Im Erdgeschoss?", "On the ground floor?", 10, YES_NO),
    ("empty_shop", "empty_since", "singlevaluelist", False, "Leer seit", "Empty since", 20, _choices(
        ("lt_6_months", "weniger als 6 Monaten", "less than 6 months"),
        ("6_12_months", "6 bis 12 Monaten", "6 to 12 months"),
        ("gt_1_year", "mehr als einem Jahr", "more than a year"),
        ("unknown", "weiß nicht", "don't know"),
    )),
    ("cycle_path", "damage", "multivaluelist", False, "Was ist kaputt?", "What is wrong?", 10, _choices(
        ("potholes", "Schlaglöcher", "Potholes"),
        ("roots", "Wurzelaufbrüche", "Tree roots"),
        ("ends_abruptly", "Radweg endet plötzlich", "Path ends abruptly"),
        ("too_narrow", "zu schmal", "Too narrow"),
        ("blocked", "zugeparkt oder blockiert", "Blocked or parked on"),
        ("markings", "Markierung fehlt", "Missing markings"),
    )),
    ("noise", "when", "singlevaluelist", False, "Wann ist es laut?", "When is it noisy?", 10, _choices(
        ("day", "tagsüber", "daytime"), ("evening", "abends", "evening"),
        ("night", "nachts", "at night"), ("always", "immer", "always"),
    )),
    ("youth_offer", "age_group", "multivaluelist", False, "Für wen?", "For whom?", 10, _choices(
        ("under_6", "Kinder unter 6", "Children under 6"), ("6_12", "Kinder 6–12", "Children 6–12"),
        ("13_17", "Jugendliche 13–17", "Teenagers 13–17"),
    )),
]


def seed_attributes():
    table = sa.table(
        "category_attributes",
        sa.column("category_slug", sa.String), sa.column("code", sa.String), sa.column("datatype", sa.String),
        sa.column("required", sa.Boolean), sa.column("label_de", sa.String), sa.column("label_en", sa.String),
        sa.column("order", sa.Integer), sa.column("values", postgresql.JSONB),
    )
    op.bulk_insert(table, [
        dict(category_slug=c, code=code, datatype=t, required=r, label_de=de, label_en=en, order=o, values=v)
        for c, code, t, r, de, en, o, v in ATTRIBUTES
    ])

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), server_default='organiser', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('organiser')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('category_attributes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_slug', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('datatype', sa.String(length=20), nullable=False),
    sa.Column('required', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('label_de', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.Column('order', sa.Integer(), server_default='100', nullable=False),
    sa.Column('values', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.CheckConstraint("datatype IN ('string', 'text', 'number', 'datetime', 'singlevaluelist', 'multivaluelist')", name=op.f('ck_category_attributes_datatype')),
    sa.ForeignKeyConstraint(['category_slug'], ['categories.slug'], name=op.f('fk_category_attributes_category_slug_categories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_attributes')),
    sa.UniqueConstraint('category_slug', 'code', name='category_code')
    )
    op.create_table('participants',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('walk_id', sa.UUID(), nullable=True),
    sa.Column('nickname', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['walk_id'], ['walks.id'], name=op.f('fk_participants_walk_id_walks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants'))
    )
    op.create_index(op.f('ix_participants_walk_id'), 'participants', ['walk_id'], unique=False)
    op.create_table('walk_categories',
    sa.Column('walk_id', sa.UUID(), nullable=False),
    sa.Column('category_slug', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['category_slug'], ['categories.slug'], name=op.f('fk_walk_categories_category_slug_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['walk_id'], ['walks.id'], name=op.f('fk_walk_categories_walk_id_walks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('walk_id', 'category_slug', name=op.f('pk_walk_categories'))
    )
    op.create_table('confirmations',
    sa.Column('finding_id', sa.UUID(), nullable=False),
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_confirmations_finding_id_findings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_confirmations_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('finding_id', 'participant_id', name=op.f('pk_confirmations'))
    )
    op.create_table('photos',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('finding_id', sa.UUID(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_photos_finding_id_findings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos')),
    sa.UniqueConstraint('finding_id', 'sha256', name='finding_sha256')
    )
    op.create_index(op.f('ix_photos_finding_id'), 'photos', ['finding_id'], unique=False)
    op.add_column('findings', sa.Column('participant_id', sa.UUID(), nullable=True))
    op.add_column('findings', sa.Column('attributes', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False))
    op.add_column('findings', sa.Column('urgency', sa.SmallInteger(), nullable=True))
    op.create_index(op.f('ix_findings_participant_id'), 'findings', ['participant_id'], unique=False)
    op.create_foreign_key(op.f('fk_findings_participant_id_participants'), 'findings', 'participants', ['participant_id'], ['id'], ondelete='SET NULL')
    op.add_column('walks', sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True))
    op.add_geospatial_column('walks', sa.Column('route', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True))
    op.add_column('walks', sa.Column('join_code', sa.String(length=16), server_default=sa.text('substr(md5(random()::text), 1, 8)'), nullable=False))
    op.add_column('walks', sa.Column('created_by_id', sa.Integer(), nullable=True))
    op.create_geospatial_index('idx_walks_route', 'walks', ['route'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_unique_constraint(op.f('uq_walks_join_code'), 'walks', ['join_code'])
    op.create_foreign_key(op.f('fk_walks_created_by_id_users'), 'walks', 'users', ['created_by_id'], ['id'], ondelete='SET NULL')
    op.create_check_constraint(op.f('ck_findings_urgency'), 'findings', 'urgency IS NULL OR urgency BETWEEN 1 AND 5')
    seed_attributes()


def downgrade():
    op.drop_constraint(op.f('ck_findings_urgency'), 'findings', type_='check')
    op.drop_constraint(op.f('fk_walks_created_by_id_users'), 'walks', type_='foreignkey')
    op.drop_constraint(op.f('uq_walks_join_code'), 'walks', type_='unique')
    op.drop_geospatial_index('idx_walks_route', table_name='walks', postgresql_using='gist', column_name='route')
    op.drop_column('walks', 'created_by_id')
    op.drop_column('walks', 'join_code')
    op.drop_geospatial_column('walks', 'route')
    op.drop_column('walks', 'ends_at')
    op.drop_constraint(op.f('fk_findings_participant_id_participants'), 'findings', type_='foreignkey')
    op.drop_index(op.f('ix_findings_participant_id'), table_name='findings')
    op.drop_column('findings', 'urgency')
    op.drop_column('findings', 'attributes')
    op.drop_column('findings', 'participant_id')
    op.drop_index(op.f('ix_photos_finding_id'), table_name='photos')
    op.drop_table('photos')
    op.drop_table('confirmations')
    op.drop_table('walk_categories')
    op.drop_index(op.f('ix_participants_walk_id'), table_name='participants')
    op.drop_table('participants')
    op.drop_table('category_attributes')
    op.drop_table('users')
