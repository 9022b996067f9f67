"""Moderation before publication, blurred photos and results pages.

``findings.text_moderation`` and ``photos.moderation`` say whether a finding's free text and
a photo may be shown publicly (``pending``, ``approved``, ``hidden``; see
:mod:`mapapp.statuses`). Rows from before moderation existed were public already and start
``approved``; new rows get the state the configured mode gives them. ``public_description``
is a moderator's edited text, shown publicly instead of the participant's own.

``photos.blur_regions`` lists the boxes blurred in every published copy (found at upload or
drawn by a reviewer); ``moderation_events`` is the trail of every moderation and blurring
decision. ``participants.follow_token_hash`` is the hash of a participant's private follow
link; ``walks.results_published_at`` says when an organiser made the walk's results public.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

STATES = "('pending', 'approved', 'hidden')"


def upgrade():
    op.add_column('findings', sa.Column(
        'text_moderation', sa.String(10), nullable=False, server_default='approved'))
    op.alter_column('findings', 'text_moderation', server_default='pending')
    op.create_check_constraint(op.f('ck_findings_text_moderation'), 'findings', f"text_moderation IN {STATES}")
    op.add_column('findings', sa.Column('public_description', sa.Text(), nullable=True))
    op.create_index(op.f('ix_findings_pending_text'), 'findings', ['created_at'],
                    postgresql_where=sa.text("text_moderation = 'pending'"))

    op.add_column('photos', sa.Column(
        'moderation', sa.String(10), nullable=False, server_default='approved'))
    op.alter_column('photos', 'moderation', server_default='pending')
    op.create_check_constraint(op.f('ck_photos_moderation'), 'photos', f"moderation IN {STATES}")
    op.add_column('photos', sa.Column(
        'blur_regions', JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")))
    op.add_column('photos', sa.Column(
        'featured', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('photos', sa.Column('original_sha256', sa.String(64), nullable=True))
    op.create_index(op.f('ix_photos_pending'), 'photos', ['created_at'],
                    postgresql_where=sa.text("moderation = 'pending'"))

    op.create_table(
        'moderation_events',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('finding_id', UUID(as_uuid=True),
                  sa.ForeignKey('findings.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('photo_id', UUID(as_uuid=True),
                  sa.ForeignKey('photos.id', ondelete='SET NULL'), nullable=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('actor', sa.String(100), nullable=True),
        sa.Column('action', sa.String(20), nullable=False),
        sa.Column('detail', JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )

    op.add_column('participants', sa.Column('follow_token_hash', sa.String(64), nullable=True))
    op.create_unique_constraint(op.f('uq_participants_follow_token_hash'), 'participants', ['follow_token_hash'])

    op.add_column('walks', sa.Column('results_published_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('walks', 'results_published_at')
    op.drop_constraint(op.f('uq_participants_follow_token_hash'), 'participants', type_='unique')
    op.drop_column('participants', 'follow_token_hash')
    op.drop_table('moderation_events')
    op.drop_index(op.f('ix_photos_pending'), table_name='photos')
    for column in ('original_sha256', 'featured', 'blur_regions'):
        op.drop_column('photos', column)
    op.drop_constraint(op.f('ck_photos_moderation'), 'photos', type_='check')
    op.drop_column('photos', 'moderation')
    op.drop_index(op.f('ix_findings_pending_text'), table_name='findings')
    op.drop_column('findings', 'public_description')
    op.drop_constraint(op.f('ck_findings_text_moderation'), 'findings', type_='check')
    op.drop_column('findings', 'text_moderation')
