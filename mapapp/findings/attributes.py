"""Category questions (Open311-style service attributes) and checking the answers."""
from __future__ import annotations

import math
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import ValidationFailed

TEXT_MAX = {"string": 200, "text": 2000}


def questions(session: Session, category: str) -> list[dict]:
    """Return the questions of ``category`` in display order."""
    rows = session.execute(
        text("""SELECT code, datatype, required, label_de, label_en, "order", values
                FROM category_attributes WHERE category_slug = :slug ORDER BY "order", code"""),
        {"slug": category},
    ).mappings()
    return [dict(row) for row in rows]


def _check_one(question: dict, value) -> object:
    """Return the cleaned answer, or raise ValueError saying what is wrong."""
    kind, keys = question["datatype"], {v["key"] for v in question["values"]}
    if kind in TEXT_MAX:
        if not isinstance(value, str):
            raise ValueError(_("Muss ein Text sein."))
        if len(value) > TEXT_MAX[kind]:
            raise ValueError(_("Höchstens %(count)s Zeichen.", count=TEXT_MAX[kind]))
        return value.strip()
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(_("Muss eine Zahl sein."))
        return value
    if kind == "datetime":
        if not isinstance(value, str):
            raise ValueError(_("Muss ein Datum sein (JJJJ-MM-TT)."))
        return date.fromisoformat(value[:10]).isoformat()
    if kind == "singlevaluelist":
        if value not in keys:
            raise ValueError(_("Bitte eine der Antworten wählen."))
        return value
    if not isinstance(value, list) or not all(v in keys for v in value):
        raise ValueError(_("Bitte Antworten aus der Liste wählen."))
    return sorted(set(value))


def _is_blank(value) -> bool:
    return value is None or value == "" or value == []


def check_answers(session: Session, category: str, answers: dict | None) -> dict:
    """Validate ``answers`` against the category's questions; return the cleaned answers.

    Unknown codes, wrong types and missing required answers are refused, each named
    as ``attributes.<code>``.
    """
    return validate_answers(questions(session, category), answers)


def validate_answers(category_questions: list[dict], answers: dict | None) -> dict:
    """Check ``answers`` against ``category_questions`` (code, datatype, required, values)."""
    answers = answers or {}
    asked = {q["code"]: q for q in category_questions}
    errors, cleaned = {}, {}
    for code in answers.keys() - asked.keys():
        errors[f"attributes.{code}"] = _("Diese Frage gibt es bei dieser Kategorie nicht.")
    for code, question in asked.items():
        try:
            value = None if _is_blank(answers.get(code)) else _check_one(question, answers[code])
        except ValueError as exc:
            errors[f"attributes.{code}"] = str(exc)
            continue
        # A text of spaces is no answer: not stored, so that no empty text waits for moderation.
        if _is_blank(value):
            if question["required"]:
                errors[f"attributes.{code}"] = _("Diese Angabe fehlt.")
            continue
        cleaned[code] = value
    if errors:
        raise ValidationFailed(_("Einige Antworten passen nicht."), errors)
    return cleaned
