"""What an Open311 client sent beside the point, and who ran a command-line action.

``findings.address_string`` and ``findings.media_url`` keep the GeoReport fields of the same
name as text (the URL is never fetched); ``concern_events.actor`` names who acted when no
account did, e.g. ``cli:maria`` for the OS user who ran ``mapapp city send``.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('findings', sa.Column('address_string', sa.String(250), nullable=True))
    op.add_column('findings', sa.Column('media_url', sa.String(2000), nullable=True))
    op.add_column('concern_events', sa.Column('actor', sa.String(100), nullable=True))


def downgrade():
    op.drop_column('concern_events', 'actor')
    op.drop_column('findings', 'media_url')
    op.drop_column('findings', 'address_string')
