"""Photo renames: a photo's earlier file URLs lead to its current copy after a reviewer's blur.

Photo files are named by their content hash; blurring or unblurring a region writes new copies
under a new hash and deletes the old files. A ``media_url`` sent to the city before then, or a
link shared earlier, answered 404. ``photo_renames`` keeps each old hash with its photo, and
``/photos/<old hash>/<kind>.jpg`` redirects to the current copy (mapapp/photos/routes.py).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'photo_renames',
        sa.Column('old_sha256', sa.String(64), primary_key=True),
        sa.Column('photo_id', UUID(as_uuid=True), sa.ForeignKey('photos.id', ondelete='CASCADE'), nullable=False),
        sa.Column('renamed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index('ix_photo_renames_photo_id', 'photo_renames', ['photo_id'])


def downgrade():
    op.drop_table('photo_renames')
