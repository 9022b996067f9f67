"""A walk's meeting point by name ("Bismarckplatz, vor dem Rathaus").

Participants find a place by its name, not by coordinates: the join page and the handout
print the name first and the coordinates only as a second line.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('walks', sa.Column('meeting_point_name', sa.String(200), nullable=True))


def downgrade():
    op.drop_column('walks', 'meeting_point_name')
