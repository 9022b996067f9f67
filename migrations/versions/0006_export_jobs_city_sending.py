"""Background export jobs with progress; a 'sending' state for city submissions.

A submission is marked 'sending' (with ``claimed_at``) and committed before the POST to the
city, so a crash between the city's answer and our commit leaves it 'sending' rather than
'pending': it is then marked 'uncertain' for an organiser to check, never re-sent blindly.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_jobs',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('params', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('state', sa.String(length=10), server_default='queued', nullable=False),
    sa.Column('stage', sa.Text(), nullable=True),
    sa.Column('progress', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.Text(), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_export_jobs_state')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_export_jobs_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs'))
    )
    op.create_index(op.f('ix_export_jobs_state'), 'export_jobs', ['state'], unique=False)
    op.add_column('city_submissions', sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
    op.drop_constraint(op.f('ck_city_submissions_state'), 'city_submissions', type_='check')
    op.create_check_constraint(op.f('ck_city_submissions_state'), 'city_submissions',
                               "state IN ('pending', 'sending', 'sent', 'failed', 'uncertain')")


def downgrade():
    op.execute("UPDATE city_submissions SET state = 'failed' WHERE state IN ('sending', 'uncertain')")
    op.drop_constraint(op.f('ck_city_submissions_state'), 'city_submissions', type_='check')
    op.create_check_constraint(op.f('ck_city_submissions_state'), 'city_submissions',
                               "state IN ('pending', 'sent', 'failed')")
    op.drop_column('city_submissions', 'claimed_at')
    op.drop_index(op.f('ix_export_jobs_state'), table_name='export_jobs')
    op.drop_table('export_jobs')
