"""Teams review: teams owning categories, team members, concerns with an audit trail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name'))
    )
    op.create_geospatial_table('concerns',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('category_slug', sa.String(length=40), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='new', nullable=False),
    sa.Column('duplicate_of_id', sa.UUID(), nullable=True),
    sa.Column('ortsteil_id', sa.Integer(), nullable=True),
    sa.Column('stadtbezirk_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('new', 'in_review', 'confirmed', 'handed_over', 'resolved', 'rejected', 'duplicate')", name=op.f('ck_concerns_status')),
    sa.ForeignKeyConstraint(['category_slug'], ['categories.slug'], name=op.f('fk_concerns_category_slug_categories')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_concerns_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['concerns.id'], name=op.f('fk_concerns_duplicate_of_id_concerns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ortsteil_id'], ['districts.id'], name=op.f('fk_concerns_ortsteil_id_districts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stadtbezirk_id'], ['districts.id'], name=op.f('fk_concerns_stadtbezirk_id_districts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concerns'))
    )
    op.create_geospatial_index('idx_concerns_geom', 'concerns', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_concerns_category_slug'), 'concerns', ['category_slug'], unique=False)
    op.create_index(op.f('ix_concerns_ortsteil_id'), 'concerns', ['ortsteil_id'], unique=False)
    op.create_index(op.f('ix_concerns_stadtbezirk_id'), 'concerns', ['stadtbezirk_id'], unique=False)
    op.create_table('team_categories',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('category_slug', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['category_slug'], ['categories.slug'], name=op.f('fk_team_categories_category_slug_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_categories_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'category_slug', name=op.f('pk_team_categories'))
    )
    op.create_table('team_members',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_members_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_team_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_team_members'))
    )
    op.create_table('concern_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['concern_id'], ['concerns.id'], name=op.f('fk_concern_events_concern_id_concerns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_concern_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_events'))
    )
    op.create_index(op.f('ix_concern_events_concern_id'), 'concern_events', ['concern_id'], unique=False)
    op.add_column('findings', sa.Column('concern_id', sa.UUID(), nullable=True))
    op.create_index(op.f('ix_findings_concern_id'), 'findings', ['concern_id'], unique=False)
    op.create_foreign_key(op.f('fk_findings_concern_id_concerns'), 'findings', 'concerns', ['concern_id'], ['id'], ondelete='SET NULL')
    op.drop_constraint(op.f('ck_users_role'), 'users', type_='check')
    op.create_check_constraint(op.f('ck_users_role'), 'users', "role IN ('organiser', 'team_member')")
    op.execute("""
        CREATE TRIGGER concerns_assign_districts
            BEFORE INSERT OR UPDATE OF geom ON concerns
            FOR EACH ROW EXECUTE FUNCTION findings_assign_districts()
    """)


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS concerns_assign_districts ON concerns")
    op.execute("DELETE FROM users WHERE role = 'team_member'")
    op.drop_constraint(op.f('ck_users_role'), 'users', type_='check')
    op.create_check_constraint(op.f('ck_users_role'), 'users', "role IN ('organiser')")
    op.drop_constraint(op.f('fk_findings_concern_id_concerns'), 'findings', type_='foreignkey')
    op.drop_index(op.f('ix_findings_concern_id'), table_name='findings')
    op.drop_column('findings', 'concern_id')
    op.drop_index(op.f('ix_concern_events_concern_id'), table_name='concern_events')
    op.drop_table('concern_events')
    op.drop_table('team_members')
    op.drop_table('team_categories')
    op.drop_index(op.f('ix_concerns_stadtbezirk_id'), table_name='concerns')
    op.drop_index(op.f('ix_concerns_ortsteil_id'), table_name='concerns')
    op.drop_index(op.f('ix_concerns_category_slug'), table_name='concerns')
    op.drop_geospatial_index('idx_concerns_geom', table_name='concerns', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('concerns')
    op.drop_table('teams')
