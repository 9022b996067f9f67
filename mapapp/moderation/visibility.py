"""What the public may see of a finding's free text and photos: the one definition, as SQL. No Flask here.

A finding's pin (category, place, status) is public at once; its *free text* and its *photos*
are public only once approved (``MAPAPP_MODERATION``, :mod:`mapapp.moderation.settings`).
Every public page, API, tile, feed, widget and public export builds its SQL from the fragments
below, so "what the public may see" is decided here and nowhere else:

- free text: ``findings.description`` (or a moderator's edited ``public_description``), the
  answers to free-text questions, and what an Open311 client sent as ``address_string`` and
  ``media_url``; public while ``findings.text_moderation = 'approved'``;
- a photo: public while ``photos.moderation = 'approved'``.

``pending`` (waiting for a team member) and ``hidden`` (withdrawn by a team member) are never
public; the team sees everything, and the participant who sent a finding sees their own text
and photos (the ``*_for_viewer`` fragments: ``:viewer`` is the asking participant's id, NULL
for anyone else). The states are :data:`mapapp.statuses.MODERATION_STATES`.

The fragments take the table alias they read (default ``f`` for findings, ``p`` for photos)
and are plain strings, so they fit into any statement, e.g. for a results page::

    SELECT f.id, {public_text_sql('f')} AS description,
           {public_photos_json_sql('f')} AS photos
    FROM findings f WHERE f.walk_id = :walk

or, to keep only photos the public may see::

    SELECT p.stored_sha256 FROM photos p WHERE p.finding_id = :id AND {photo_is_public_sql('p')}
"""
from __future__ import annotations

APPROVED = "approved"

# Question types whose answers are free text the participant wrote (the others are picked from
# a list, or a number or a date): moderated with the description.
FREE_TEXT_TYPES = ("string", "text")


def text_is_public_sql(alias: str = "f") -> str:
    """A condition: the free text of finding ``alias`` may be shown publicly."""
    return f"({alias}.text_moderation = '{APPROVED}')"


def photo_is_public_sql(alias: str = "p") -> str:
    """A condition: photo ``alias`` (a ``photos`` row) may be shown publicly."""
    return f"({alias}.moderation = '{APPROVED}')"


def public_text_sql(alias: str = "f") -> str:
    """The finding's description as the public sees it: the moderator's edited text, else the
    participant's, once approved; NULL while pending or hidden."""
    return (f"(CASE WHEN {text_is_public_sql(alias)} "
            f"THEN COALESCE({alias}.public_description, {alias}.description) END)")


def public_column_sql(column: str, alias: str = "f") -> str:
    """Another free-text column of the finding (``address_string``, ``media_url``): NULL unless approved."""
    return f"(CASE WHEN {text_is_public_sql(alias)} THEN {alias}.{column} END)"


def listed_answers_sql(alias: str = "f") -> str:
    """The finding's answers without the free-text ones (a jsonb object)."""
    types = ", ".join(f"'{t}'" for t in FREE_TEXT_TYPES)
    return f"""(SELECT COALESCE(jsonb_object_agg(a.key, a.value), '{{}}'::jsonb)
        FROM jsonb_each({alias}.attributes) AS a
        WHERE NOT EXISTS (SELECT 1 FROM category_attributes ca WHERE ca.category_slug = {alias}.category_slug
                          AND ca.code = a.key AND ca.datatype IN ({types})))"""


def public_attributes_sql(alias: str = "f") -> str:
    """The finding's answers as the public sees them: all once the text is approved, else the listed ones."""
    return f"(CASE WHEN {text_is_public_sql(alias)} THEN {alias}.attributes ELSE {listed_answers_sql(alias)} END)"


def is_viewer_sql(alias: str = "f", viewer: str = ":viewer") -> str:
    """A condition: the asking participant (``viewer``, a bind parameter) sent finding ``alias``."""
    return f"COALESCE({alias}.participant_id = CAST({viewer} AS uuid), false)"


def description_for_viewer_sql(alias: str = "f", viewer: str = ":viewer") -> str:
    """The description for the map's popups: the participant's own text to its sender, else the public text."""
    return f"(CASE WHEN {is_viewer_sql(alias, viewer)} THEN {alias}.description ELSE {public_text_sql(alias)} END)"


def attributes_for_viewer_sql(alias: str = "f", viewer: str = ":viewer") -> str:
    """The answers for the map's popups: all of them to the finding's sender, else the public ones."""
    return (f"(CASE WHEN {is_viewer_sql(alias, viewer)} THEN {alias}.attributes "
            f"ELSE {public_attributes_sql(alias)} END)")


def photo_for_viewer_sql(photo: str = "p", finding: str = "f", viewer: str = ":viewer") -> str:
    """A condition: photo ``photo`` of finding ``finding`` may be shown to the asking participant."""
    return f"({photo_is_public_sql(photo)} OR {is_viewer_sql(finding, viewer)})"


def photos_json_sql(alias: str = "f", condition: str | None = None) -> str:
    """Finding ``alias``'s photos as a JSON array of ``{id, url, thumb_url}`` in their order: those
    ``condition`` (on ``photos p``) admits, all of them without one."""
    only = f" AND {condition}" if condition else ""
    return f"""(
        SELECT COALESCE(json_agg(json_build_object(
            'id', p.id,
            'url', '/photos/' || p.stored_sha256 || '/web.jpg',
            'thumb_url', '/photos/' || p.stored_sha256 || '/thumb.jpg'
        ) ORDER BY p.position, p.created_at), '[]'::json)
        FROM photos p WHERE p.finding_id = {alias}.id{only}
    )"""


def public_photos_json_sql(alias: str = "f") -> str:
    """The finding's public photos (:func:`photos_json_sql` of the approved ones)."""
    return photos_json_sql(alias, photo_is_public_sql("p"))


# Whether the stored finding ``f`` has free text to moderate at all: a description, an answer to a
# free-text question, or an Open311 client's address or media URL (``intake.has_text`` in Python).
HAS_STORED_TEXT_SQL = f"""(
    NULLIF(btrim(f.description), '') IS NOT NULL
    OR NULLIF(btrim(f.address_string), '') IS NOT NULL
    OR NULLIF(btrim(f.media_url), '') IS NOT NULL
    OR f.attributes IS DISTINCT FROM {listed_answers_sql('f')}
)"""
