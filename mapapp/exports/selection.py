"""What to export (:class:`Selection`) and the SQL giving one row per finding or concern.

Every export format reads the rows of :func:`finding_rows_sql` / :func:`concern_rows_sql`
(or :func:`rows_sql` for both). All columns, in this order, for findings and concerns alike:

- ``kind``            'finding' or 'concern'
- ``id``              uuid as text
- ``category``        category slug; ``category_label`` its German label
- ``status``          findings: COALESCE(concern status, finding status); concerns: their status;
                      ``status_label`` its German label
- ``title``           concerns: the title (NULL unless include_text); findings: NULL
- ``description``     finding description / concern summary, NULL unless ``include_text``
- ``urgency``         1..5 or NULL (concerns: NULL)
- ``accuracy_m``      the location's accuracy in metres as the phone reported it (concerns: NULL)
- ``confirmations``   findings: number of "+1" (concerns: NULL)
- ``walk``            the walk's title (concerns: NULL); ``walk_id`` its id as text
- ``concern_id``      findings: the concern they belong to (concerns: NULL)
- ``findings_count``  concerns: number of their findings (findings: NULL)
- ``people``          concerns: number of different people who reported or confirmed one of
                      their findings, a count only (findings: NULL)
- ``duplicate_of``    concerns: the concern this one duplicates (findings: NULL)
- ``ortsteil``, ``ortsteil_code``, ``stadtbezirk``, ``stadtbezirk_code``
- ``created_at``, ``updated_at`` (timestamptz)
- ``attributes``      jsonb (concerns: '{}')
- ``photos``          json array of {id, sha256, width, height, position}, NULL unless include_photos
- ``geometry_type``   'Point' or 'LineString'
- ``lat``, ``lon``    WGS84 of a point on the geometry (for a line: a point on the line)
- ``easting``, ``northing``  the same point in EPSG:25832 (metres)
- ``geom``            GeoJSON text of the geometry in ``selection.srid``
- ``geom_wgs84``      GeoJSON text of the geometry in EPSG:4326 (for RFC 7946 output)
- ``geom_wkt``        WKT of the geometry in ``selection.srid``

Never any participant id, nickname, cookie, IP or account data.

Besides the rows: :func:`answer_rows_sql` (one row per answer to a category question) and
:func:`walk_rows_sql` (the walks of the selection) for the GIS layers.
"""
from dataclasses import dataclass, field, replace
from datetime import date

from mapapp.findings import filters as finding_filters
from mapapp.db import tune_for_bulk_reads
from mapapp.findings.filters import FindingFilter
from mapapp.moderation.visibility import photo_is_public_sql
from mapapp.statuses import LABELS as STATUS_LABELS

WHATS = ("findings", "concerns", "both")
SRIDS = (25832, 4326)


@dataclass
class Selection:
    """Filters and options of one export. ``district`` is a code or a name, Ortsteil or Stadtbezirk."""

    walk_id: str | None = None
    district: str | None = None
    categories: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    what: str = "findings"
    include_photos: bool = False
    include_text: bool = True
    srid: int = 25832

    @property
    def finding_filter(self) -> FindingFilter:
        """The filter part, as the map and every other view of findings apply it."""
        return FindingFilter(walk_id=self.walk_id, categories=self.categories, statuses=self.statuses,
                             district=self.district, date_from=self.date_from, date_to=self.date_to)

    def __post_init__(self):
        if self.what not in WHATS:
            raise ValueError(f"what must be one of {WHATS}")
        if int(self.srid) not in SRIDS:
            raise ValueError(f"srid must be one of {SRIDS}")
        self.srid = int(self.srid)


def _geometry_columns(alias: str, srid: int) -> str:
    """Geometry columns shared by findings and concerns (point-on-geometry for lat/lon/easting).
    ``srid`` is validated by Selection, so it is inlined (ST_Transform wants an integer)."""
    g = f"{alias}.geom"
    srid, digits = int(srid), 7 if int(srid) == 4326 else 2
    pos = f"ST_PointOnSurface({g})"
    return f"""
        GeometryType({g}) AS geometry_type_raw,
        ST_Y({pos}) AS lat, ST_X({pos}) AS lon,
        ST_X(ST_Transform({pos}, 25832)) AS easting, ST_Y(ST_Transform({pos}, 25832)) AS northing,
        ST_AsGeoJSON(ST_Transform({g}, {srid}), {digits}) AS geom,
        ST_AsGeoJSON({g}, 7) AS geom_wgs84,
        ST_AsText(ST_Transform({g}, {srid})) AS geom_wkt"""


def _photos(selection: Selection, finding_id: str) -> str:
    """The finding's photos: all of them for the team and the city; without free text (a public
    release) only those the public may see (mapapp/moderation/visibility.py)."""
    if not selection.include_photos:
        return "NULL::json"
    public = "" if selection.include_text else f" AND {photo_is_public_sql('p')}"
    return (
        "(SELECT COALESCE(json_agg(json_build_object('id', p.id, 'sha256', p.stored_sha256, "
        "'width', p.width, 'height', p.height, 'position', p.position) ORDER BY p.position, p.created_at), "
        f"'[]'::json) FROM photos p WHERE p.finding_id = {finding_id}{public})"
    )


def status_label_sql(expression: str) -> str:
    """SQL giving the German label of the status in ``expression`` (the labels are constants)."""
    quoted = {code: label.replace("'", "''") for code, label in STATUS_LABELS.items()}
    cases = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in quoted.items())
    return f"CASE {expression} {cases} ELSE {expression} END"


# Different people behind a concern ``c``: the authors of its findings and those who gave them a +1.
_PEOPLE_SQL = """(SELECT count(DISTINCT who.participant_id) FROM (
                   SELECT pf.participant_id FROM findings pf WHERE pf.concern_id = c.id
                   UNION ALL
                   SELECT pc.participant_id FROM confirmations pc
                   JOIN findings pq ON pq.id = pc.finding_id WHERE pq.concern_id = c.id) AS who)::int"""


def _wrap(inner: str) -> str:
    """Turn GeometryType's upper case into the GeoJSON spelling and drop the helper column."""
    return f"""
        SELECT kind, id, category, category_label, status, {status_label_sql('status')} AS status_label,
               title, description, urgency, accuracy_m, confirmations, walk, walk_id, concern_id,
               findings_count, people, duplicate_of,
               ortsteil, ortsteil_code, stadtbezirk, stadtbezirk_code,
               created_at, updated_at, attributes, photos,
               CASE geometry_type_raw WHEN 'POINT' THEN 'Point' WHEN 'LINESTRING' THEN 'LineString'
                    ELSE initcap(geometry_type_raw) END AS geometry_type,
               lat, lon, easting, northing, geom, geom_wgs84, geom_wkt
        FROM ({inner}) AS rows_inner"""


def _finding_where(selection: Selection) -> tuple[list[str], dict]:
    """WHERE clauses of the findings (alias ``f``, its concern ``c``)."""
    where, params = finding_filters.where_sql(selection.finding_filter, "f", concern="c")
    return [where], params


def _concern_where(selection: Selection) -> tuple[list[str], dict]:
    """WHERE clauses of the concerns (alias ``c``); a walk keeps concerns holding one of its findings."""
    flt = selection.finding_filter
    where, params = finding_filters.where_sql(replace(flt, walk_id=None), "c", own_status=True)
    if flt.walk_id:
        params["walk_id"] = str(flt.walk_id)
        where += (" AND EXISTS (SELECT 1 FROM findings wf WHERE wf.concern_id = c.id "
                  "AND wf.walk_id = CAST(:walk_id AS uuid))")
    return [where], params


def count_rows(session, selection: Selection) -> int:
    """How many rows :func:`rows_sql` yields, counted without building them (for progress)."""
    from sqlalchemy import text

    parts, params = [], {}
    if selection.what in ("findings", "both"):
        where, found = _finding_where(selection)
        parts.append("SELECT count(*) FROM findings f LEFT JOIN concerns c ON c.id = f.concern_id"
                     + (" WHERE " + " AND ".join(where) if where else ""))
        params.update(found)
    if selection.what in ("concerns", "both"):
        where, found = _concern_where(selection)
        parts.append("SELECT count(*) FROM concerns c" + (" WHERE " + " AND ".join(where) if where else ""))
        params.update(found)
    return int(session.execute(text("SELECT " + " + ".join(f"({part})" for part in parts)), params).scalar())


def finding_rows_sql(selection: Selection) -> tuple[str, dict]:
    """SQL and parameters for one row per selected finding (columns: see the module docstring)."""
    where, params = _finding_where(selection)
    text_col = "f.description" if selection.include_text else "NULL::text"
    attributes = "f.attributes" if selection.include_text else _answers_without_free_text(params)
    inner = f"""
        SELECT 'finding' AS kind, f.id::text AS id, f.category_slug AS category,
               cat.label_de AS category_label, COALESCE(c.status, f.status) AS status,
               NULL::text AS title, {text_col} AS description, f.urgency::int AS urgency,
               f.accuracy_m::float8 AS accuracy_m,
               (SELECT count(*) FROM confirmations cf WHERE cf.finding_id = f.id)::int AS confirmations,
               w.title AS walk, f.walk_id::text AS walk_id, f.concern_id::text AS concern_id,
               NULL::int AS findings_count, NULL::int AS people, NULL::text AS duplicate_of,
               ot.name AS ortsteil, ot.code AS ortsteil_code, sb.name AS stadtbezirk, sb.code AS stadtbezirk_code,
               f.created_at, f.updated_at, {attributes} AS attributes, {_photos(selection, 'f.id')} AS photos,
               {_geometry_columns('f', selection.srid)}
        FROM findings f
        JOIN categories cat ON cat.slug = f.category_slug
        LEFT JOIN concerns c ON c.id = f.concern_id
        LEFT JOIN walks w ON w.id = f.walk_id
        LEFT JOIN districts ot ON ot.id = f.ortsteil_id
        LEFT JOIN districts sb ON sb.id = f.stadtbezirk_id
        {('WHERE ' + ' AND '.join(where)) if where else ''}
        ORDER BY f.created_at, f.id"""
    return _wrap(inner), params


def _answers_without_free_text(params: dict) -> str:
    """SQL of a finding's answers without those to free-text (or unknown) questions, for exports
    without text: what a participant typed in is free text, like the description."""
    params["free_text"] = list(FREE_TEXT_ANSWERS)
    return """(SELECT COALESCE(jsonb_object_agg(a.key, a.value), '{}'::jsonb) FROM jsonb_each(f.attributes) AS a
               WHERE EXISTS (SELECT 1 FROM category_attributes q WHERE q.category_slug = f.category_slug
                             AND q.code = a.key AND q.datatype <> ALL(:free_text)))"""


def concern_rows_sql(selection: Selection) -> tuple[str, dict]:
    """SQL and parameters for one row per selected concern; a walk filter keeps concerns
    that hold at least one finding of that walk."""
    where, params = _concern_where(selection)
    title = "c.title" if selection.include_text else "NULL::text"
    summary = "c.summary" if selection.include_text else "NULL::text"
    photos = "NULL::json"
    if selection.include_photos:
        photos = ("(SELECT COALESCE(json_agg(x.p), '[]'::json) FROM (SELECT json_array_elements("
                  + _photos(selection, "pf.id") + ") AS p FROM findings pf WHERE pf.concern_id = c.id) x)")
    inner = f"""
        SELECT 'concern' AS kind, c.id::text AS id, c.category_slug AS category,
               cat.label_de AS category_label, c.status AS status,
               {title} AS title, {summary} AS description, NULL::int AS urgency,
               NULL::float8 AS accuracy_m, NULL::int AS confirmations,
               NULL::text AS walk, NULL::text AS walk_id, NULL::text AS concern_id,
               (SELECT count(*) FROM findings cf WHERE cf.concern_id = c.id)::int AS findings_count,
               {_PEOPLE_SQL} AS people, c.duplicate_of_id::text AS duplicate_of,
               ot.name AS ortsteil, ot.code AS ortsteil_code, sb.name AS stadtbezirk, sb.code AS stadtbezirk_code,
               c.created_at, c.updated_at, '{{}}'::jsonb AS attributes, {photos} AS photos,
               {_geometry_columns('c', selection.srid)}
        FROM concerns c
        JOIN categories cat ON cat.slug = c.category_slug
        LEFT JOIN districts ot ON ot.id = c.ortsteil_id
        LEFT JOIN districts sb ON sb.id = c.stadtbezirk_id
        {('WHERE ' + ' AND '.join(where)) if where else ''}
        ORDER BY c.created_at, c.id"""
    return _wrap(inner), params


# Question types whose answers are free text (left out with ``include_text`` off).
FREE_TEXT_ANSWERS = ("string", "text")


def answer_rows_sql(selection: Selection) -> tuple[str, dict]:
    """SQL and parameters for one row per answer of the selected findings to their category's
    questions (a multiple choice gives one row per chosen value): ``finding_id``, ``category``,
    ``question`` (code), ``question_label``, ``datatype``, ``answer`` (the stored value as text),
    ``answer_label`` (the choice's German label, else the value) and ``answer_number`` (numbers)."""
    where, params = _finding_where(selection)
    where.append("f.attributes <> '{}'::jsonb")  # most findings answer nothing: skip them early
    if not selection.include_text:
        where.append("q.datatype <> ALL(:free_text)")  # unknown questions too: they may be free text
        params["free_text"] = list(FREE_TEXT_ANSWERS)
    sql = f"""
        SELECT f.id::text AS finding_id, f.category_slug AS category, a.code AS question,
               q.label_de AS question_label, q.datatype, v.value AS answer,
               COALESCE(choice.label_de, v.value) AS answer_label,
               CASE WHEN jsonb_typeof(a.value) = 'number' THEN (a.value #>> '{{}}')::float8 END AS answer_number
        FROM findings f
        LEFT JOIN concerns c ON c.id = f.concern_id
        CROSS JOIN LATERAL jsonb_each(f.attributes) AS a(code, value)
        LEFT JOIN category_attributes q ON q.category_slug = f.category_slug AND q.code = a.code
        CROSS JOIN LATERAL (
            SELECT e.value, e.n FROM jsonb_array_elements_text(
                CASE jsonb_typeof(a.value) WHEN 'array' THEN a.value ELSE '[]'::jsonb END
            ) WITH ORDINALITY AS e(value, n)
            UNION ALL
            SELECT a.value #>> '{{}}', 1 WHERE jsonb_typeof(a.value) NOT IN ('array', 'null')
        ) AS v
        LEFT JOIN LATERAL (
            SELECT o ->> 'label_de' AS label_de FROM jsonb_array_elements(q.values) AS o
            WHERE o ->> 'key' = v.value LIMIT 1
        ) AS choice ON true
        {('WHERE ' + ' AND '.join(where)) if where else ''}
        ORDER BY f.created_at, f.id, q."order", a.code, v.n"""
    return sql, params


def walk_rows_sql(selection: Selection) -> tuple[str, dict]:
    """SQL and parameters for the walks of the selection: its walk, else the walks in its
    district whose day (start, else creation) lies in its dates. Categories and statuses do not
    narrow walks. Columns: ``id``, ``title``, ``topic``, ``description`` (NULL unless
    ``include_text``), ``starts_at``, ``ends_at``, the districts, ``findings_count``,
    ``route_length_m``, and the meeting point and route as WKB in ``selection.srid``
    (``meeting_wkb``, ``route_wkb``; NULL when not planned). Never the join code."""
    flt = selection.finding_filter
    days_and_district = FindingFilter(district=flt.district, date_from=flt.date_from, date_to=flt.date_to)
    where, params = finding_filters.where_sql(days_and_district, "w", created="COALESCE(w.starts_at, w.created_at)")
    where, params = [where], params | {"srid": selection.srid}
    if flt.walk_id:
        where.append("w.id = CAST(:walk_id AS uuid)")
        params["walk_id"] = str(flt.walk_id)
    description = "w.description" if selection.include_text else "NULL::text"
    sql = f"""
        SELECT w.id::text AS id, w.title, w.topic, {description} AS description, w.starts_at, w.ends_at,
               ot.name AS ortsteil, ot.code AS ortsteil_code, sb.name AS stadtbezirk, sb.code AS stadtbezirk_code,
               (SELECT count(*) FROM findings wf WHERE wf.walk_id = w.id)::int AS findings_count,
               ST_Length(w.route::geography)::float8 AS route_length_m,
               ST_AsBinary(ST_Transform(w.meeting_point, CAST(:srid AS int))) AS meeting_wkb,
               ST_AsBinary(ST_Transform(w.route, CAST(:srid AS int))) AS route_wkb
        FROM walks w
        LEFT JOIN districts ot ON ot.id = w.ortsteil_id
        LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id
        {('WHERE ' + ' AND '.join(where)) if where else ''}
        ORDER BY w.starts_at NULLS LAST, w.title, w.id"""
    return sql, params


def rows_sql(selection: Selection) -> tuple[str, dict]:
    """Findings, concerns or both (findings first), as ``selection.what`` says."""
    if selection.what == "findings":
        return finding_rows_sql(selection)
    if selection.what == "concerns":
        return concern_rows_sql(selection)
    f_sql, f_params = finding_rows_sql(selection)
    c_sql, c_params = concern_rows_sql(selection)
    return f"SELECT * FROM (({f_sql}) UNION ALL ({c_sql})) AS both_kinds", {**f_params, **c_params}


def stream_rows(session, sql: str, params: dict, batch: int = 500):
    """Yield result rows through a server-side cursor, ``batch`` at a time (constant memory)."""
    from sqlalchemy import text

    tune_for_bulk_reads(session)
    result = session.execute(
        text(sql).execution_options(stream_results=True, yield_per=batch), params
    )
    yield from result.mappings()
