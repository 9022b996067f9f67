"""Open311 towards the city: the city's endpoints and one submission per concern sent there.

``city_endpoints.api_key`` is the key the city issued to us; it is stored as given because
every request must present it, so the database (and its backups) must be protected.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('city_endpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('base_url', sa.Text(), nullable=False),
    sa.Column('jurisdiction_id', sa.Text(), nullable=True),
    sa.Column('api_key', sa.Text(), nullable=False),
    sa.Column('service_map', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('active', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_city_endpoints')),
    sa.UniqueConstraint('name', name=op.f('uq_city_endpoints_name'))
    )
    op.create_table('city_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.UUID(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), server_default='pending', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('service_request_id', sa.Text(), nullable=True),
    sa.Column('token', sa.Text(), nullable=True),
    sa.Column('city_status', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("state IN ('pending', 'sent', 'failed')", name=op.f('ck_city_submissions_state')),
    sa.ForeignKeyConstraint(['concern_id'], ['concerns.id'], name=op.f('fk_city_submissions_concern_id_concerns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['endpoint_id'], ['city_endpoints.id'], name=op.f('fk_city_submissions_endpoint_id_city_endpoints'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_city_submissions')),
    sa.UniqueConstraint('concern_id', name=op.f('uq_city_submissions_concern_id'))
    )
    op.create_index(op.f('ix_city_submissions_endpoint_id'), 'city_submissions', ['endpoint_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_city_submissions_endpoint_id'), table_name='city_submissions')
    op.drop_table('city_submissions')
    op.drop_table('city_endpoints')
