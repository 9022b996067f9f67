"""A participant listing, changing or deleting their own findings during a walk."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import attributes
from mapapp.errors import Forbidden, NotFound
from mapapp.findings.store import (
    FEATURE_SQL,
    JOINS_SQL,
    PLACE_SQL,
    check_category,
    feature_json,
    place_params,
    refuse_misplaced,
)
from mapapp.i18n import translate_label
from mapapp.moderation.intake import resubmit_text
from mapapp.review.concerns.trail import note_participant_edit, note_participant_withdrawal


# "Meine Funde": the participant's findings as the map's Features, plus the category's label and
# the status of the concern a team grouped the finding into (code and label; null while ungrouped).
# The labels come in as JSON objects (slug/status → text in the request's language).
OWN_SQL = f"""
    SELECT json_build_object(
        'type', 'FeatureCollection',
        'features', COALESCE(json_agg(feature ORDER BY created_at DESC, id), '[]'::json)
    )::text
    FROM (
        SELECT jsonb_set(built.feature, '{{properties}}', (built.feature -> 'properties') || jsonb_build_object(
                   'category_label', COALESCE(CAST(:category_labels AS jsonb) ->> f.category_slug, c.label_de),
                   'concern_status', k.status,
                   'concern_status_label', CAST(:status_labels AS jsonb) ->> k.status
               )) AS feature, f.created_at, f.id
        FROM findings f {JOINS_SQL}
        CROSS JOIN LATERAL (SELECT ({FEATURE_SQL})::jsonb AS feature) AS built
        WHERE f.participant_id = :viewer AND (CAST(:walk_id AS uuid) IS NULL OR f.walk_id = :walk_id)
        ORDER BY f.created_at DESC, f.id
        LIMIT :limit
    ) AS own
"""

EMPTY_COLLECTION = '{"type": "FeatureCollection", "features": []}'


def list_own_findings(session: Session, participant_id: uuid.UUID | None, status_labels: dict[str, str],
                      walk_id: uuid.UUID | None = None, limit: int = 1000) -> str:
    """Return the participant's findings, newest first, as a FeatureCollection (JSON text).

    Without a participant (no cookie yet) the collection is empty: nobody's findings are listed.
    ``status_labels`` names each concern status in the request's language. A concern's internal
    notes and its team's title and summary never appear; its public message does (as on the map).
    """
    if participant_id is None:
        return EMPTY_COLLECTION
    return session.execute(text(OWN_SQL), {
        "viewer": participant_id, "walk_id": walk_id, "limit": limit,
        "category_labels": json.dumps(_category_labels(session)), "status_labels": json.dumps(status_labels),
    }).scalar_one()


def _category_labels(session: Session) -> dict[str, str]:
    """Every category's label in the request's language, by slug."""
    rows = session.execute(text("SELECT slug, label_de, label_en FROM categories")).all()
    return {row.slug: translate_label(row.label_de, row.label_en) for row in rows}


@dataclass
class FindingChanges:
    """What a PATCH changes: plain ``fields`` and, optionally, a new GeoJSON ``geometry``."""

    fields: dict = field(default_factory=dict)
    geometry: str | None = None
    geometry_fields: tuple[str, ...] = ("lat", "lon")


def _lock_own(session: Session, finding_id: uuid.UUID, participant_id: uuid.UUID | None):
    """Lock the finding for change; refuse anyone but the participant who made it."""
    row = session.execute(
        text("""SELECT participant_id, walk_id, category_slug, attributes, concern_id
                FROM findings WHERE id = :id FOR UPDATE"""),
        {"id": finding_id},
    ).mappings().first()
    if row is None:
        session.rollback()
        raise NotFound(_("Diesen Fund gibt es nicht."))
    if participant_id is None or row["participant_id"] != participant_id:
        session.rollback()
        raise Forbidden(_("Nur wer den Fund gemeldet hat, kann ihn ändern."))
    return row


def update_finding(session: Session, finding_id: uuid.UUID, participant_id: uuid.UUID | None,
                   changes: FindingChanges) -> str:
    """Apply ``changes`` to one's own finding; return the updated Feature (JSON text).

    A finding grouped into a concern puts what changed on the concern's trail (see
    ``note_participant_edit``) in the same transaction.
    """
    current = _lock_own(session, finding_id, participant_id)
    values = dict(changes.fields)
    category = values.get("category", current["category_slug"])
    if "category" in values:
        check_category(session, category, current["walk_id"])
    if "category" in values or "attributes" in values:
        answers = values.get("attributes", current["attributes"] if "category" not in values else {})
        values["attributes"] = json.dumps(attributes.check_answers(session, category, answers))
    assignments = [_ASSIGNMENTS[name] for name in values]
    if changes.geometry is not None:
        assignments.append("geom = ST_SetSRID(ST_GeomFromGeoJSON(:geometry), 4326)")
        values["geometry"] = changes.geometry
    if assignments:
        row = session.execute(
            text(f"""UPDATE findings AS f SET {', '.join(assignments)} FROM findings old
                     WHERE f.id = :id AND old.id = f.id
                     RETURNING {PLACE_SQL}, f.category_slug, {CHANGED_SQL} AS changed"""),
            {**values, "id": finding_id, **place_params()},
        ).first()
        refuse_misplaced(session, row, changes.geometry_fields)
        resubmit_text(session, finding_id, row.changed)
        note_participant_edit(session, finding_id, current["concern_id"], row.changed, row.category_slug)
    session.commit()
    return feature_json(session, finding_id, viewer=participant_id)


# What an UPDATE really changed, by the names a concern's trail uses: ``f`` is the row
# after it, ``old`` the row before (a FROM item sees the statement's snapshot).
CHANGED_SQL = """array_remove(ARRAY[
    CASE WHEN f.category_slug IS DISTINCT FROM old.category_slug THEN 'category' END,
    CASE WHEN ST_AsEWKB(f.geom) IS DISTINCT FROM ST_AsEWKB(old.geom)
              OR f.accuracy_m IS DISTINCT FROM old.accuracy_m THEN 'place' END,
    CASE WHEN f.description IS DISTINCT FROM old.description THEN 'description' END,
    CASE WHEN f.attributes IS DISTINCT FROM old.attributes THEN 'attributes' END,
    CASE WHEN f.urgency IS DISTINCT FROM old.urgency THEN 'urgency' END
], NULL)"""

_ASSIGNMENTS = {
    "category": "category_slug = :category",
    "description": "description = :description",
    "attributes": "attributes = CAST(:attributes AS jsonb)",
    "urgency": "urgency = :urgency",
    "accuracy_m": "accuracy_m = :accuracy_m",
}


def delete_finding(session: Session, finding_id: uuid.UUID, participant_id: uuid.UUID | None) -> list[str]:
    """Delete one's own finding with its photo records and +1s; return the photos' stored hashes
    (their copies and any kept unblurred originals).

    A grouped finding leaves an entry on its concern's trail (``note_participant_withdrawal``).
    The caller removes the photo files that no other photo shares.
    """
    current = _lock_own(session, finding_id, participant_id)
    stored = [sha256 for row in session.execute(
        text("DELETE FROM photos WHERE finding_id = :id RETURNING stored_sha256, original_sha256"), {"id": finding_id}
    ) for sha256 in row if sha256]
    session.execute(text("DELETE FROM findings WHERE id = :id"), {"id": finding_id})
    note_participant_withdrawal(session, finding_id, current["concern_id"])
    session.commit()
    return sorted(set(stored))
