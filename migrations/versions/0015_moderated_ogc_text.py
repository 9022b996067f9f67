"""The OGC feed's text view shows only moderated text; photos are found by their stored hash.

``public_findings_text`` (0009) served every description and free-text answer as sent. With
moderation (0012) the public may read a finding's free text only once it is approved, and then
the moderator's edited text where there is one: the view now says so itself, so the OGC API may
serve text whatever ``MAPAPP_MODERATION`` is. The rule is the one in
``mapapp/moderation/visibility.py``. Photo files are served by ``stored_sha256``; each request
now looks up the photo's moderation state, hence the index.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""
import importlib.util
from pathlib import Path

from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def _views_0009():
    """The 0009 migration's view builders (migration modules are not importable by name)."""
    path = Path(__file__).with_name("0009_ogc_public_views.py")
    spec = importlib.util.spec_from_file_location("views_0009", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def moderated_findings_text_view() -> str:
    """0009's text view with the description and free-text answers shown only when approved."""
    views = _views_0009()
    query = views.findings_view(True)
    listed = views.LISTED_ANSWERS.strip().removesuffix(" AS attributes")
    moderated = (
        "CASE WHEN f.text_moderation = 'approved' THEN f.attributes ELSE " + listed + " END AS attributes, "
        "CASE WHEN f.text_moderation = 'approved' THEN COALESCE(f.public_description, f.description) END"
        " AS description"
    )
    assert "f.attributes AS attributes, f.description" in query
    return query.replace("f.attributes AS attributes, f.description", moderated)


def upgrade():
    op.execute(f"CREATE OR REPLACE VIEW public_findings_text AS {moderated_findings_text_view()}")
    op.create_index(op.f('ix_photos_stored_sha256'), 'photos', ['stored_sha256'])


def downgrade():
    op.drop_index(op.f('ix_photos_stored_sha256'), table_name='photos')
    op.execute(f"CREATE OR REPLACE VIEW public_findings_text AS {_views_0009().findings_view(True)}")
