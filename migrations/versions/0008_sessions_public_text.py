"""Revocable sign-ins and public text for concerns.

``users.session_version`` is written into every signed-in session and checked on each
request: logout, a password change and deactivation raise it, so every cookie issued
before stops working at once. ``concerns.public_message`` is the one text of a concern
written for the public (Open311 ``status_notes``, public pages); internal notes in the
audit trail never leave the review pages.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    op.add_column('concerns', sa.Column('public_message', sa.Text(), nullable=True))
    op.add_column('concerns', sa.Column('public_message_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('concerns', 'public_message_at')
    op.drop_column('concerns', 'public_message')
    op.drop_column('users', 'session_version')
