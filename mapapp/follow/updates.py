"""What a follow link shows: the participant's findings and their concerns' public updates. No Flask here.

A concern's public updates are the entries of its trail (``concern_events``) that were meant for,
or are harmless to, the public: its status changes (the new status only; the reviewer's note
on a change is internal) and each new public message (the text the team wrote for the public,
see migration 0008). Every other entry (edits, regrouping, city hand-over notes, participants'
edits) and every note stays in the review pages.
"""
from __future__ import annotations

import json
import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings.own import list_own_findings

PUBLIC_UPDATES_SQL = """
    SELECT e.concern_id, e.at,
           CASE WHEN e.action = 'public_message_changed' THEN 'message' ELSE 'status' END AS kind,
           CASE WHEN e.action = 'public_message_changed' THEN NULL ELSE e.to_status END AS status,
           CASE WHEN e.action = 'public_message_changed' THEN e.note END AS message
    FROM concern_events e
    WHERE e.concern_id = ANY(:ids)
      AND ((e.action IN ('created', 'status_changed') AND e.to_status IS NOT NULL)
           OR (e.action = 'public_message_changed' AND e.note IS NOT NULL))
    ORDER BY e.at DESC, e.id DESC
"""


def public_updates(session: Session, concern_ids: list[uuid.UUID | str]) -> dict[str, list[dict]]:
    """Each concern's public updates, newest first, by concern id (text).

    An update is ``{"at", "kind": "status"|"message", "status", "message"}``: a status change
    names the new status only, a public message carries its text.
    """
    if not concern_ids:
        return {}
    rows = session.execute(text(PUBLIC_UPDATES_SQL), {"ids": [uuid.UUID(str(i)) for i in concern_ids]}).mappings()
    updates: dict[str, list[dict]] = {}
    for row in rows:
        entry = {"at": row["at"], "kind": row["kind"], "status": row["status"], "message": row["message"]}
        updates.setdefault(str(row["concern_id"]), []).append(entry)
    return updates


def followed_findings(session: Session, participant_id: uuid.UUID, status_labels: dict[str, str]) -> list[dict]:
    """The participant's findings, newest first, each a Feature's properties plus ``updates``.

    The findings are those "Meine Funde" lists (:func:`list_own_findings`, with the participant
    as viewer: their own text and photos); ``updates`` are their concern's public updates.
    """
    collection = json.loads(list_own_findings(session, participant_id, status_labels))
    findings = [feature["properties"] for feature in collection["features"]]
    updates = public_updates(session, sorted({f["concern_id"] for f in findings if f.get("concern_id")}))
    photos = _photo_files(session, participant_id)
    for finding in findings:
        finding["updates"] = updates.get(finding.get("concern_id") or "", [])
        finding["photo_files"] = photos.get(finding["id"], [])
    return findings


def _photo_files(session: Session, participant_id: uuid.UUID) -> dict[str, list[str]]:
    """The stored file (hash) of each photo of the participant's findings, by finding id, in order.

    All of them, whatever their moderation state: they are the participant's own.
    """
    rows = session.execute(text("""
        SELECT p.finding_id, p.stored_sha256 FROM photos p JOIN findings f ON f.id = p.finding_id
        WHERE f.participant_id = :id ORDER BY p.position, p.created_at
    """), {"id": participant_id})
    files: dict[str, list[str]] = {}
    for finding_id, stored in rows:
        files.setdefault(str(finding_id), []).append(stored)
    return files
