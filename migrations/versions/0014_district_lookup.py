"""One district lookup: ``mapapp_districts_at(geom)`` answers which Ortsteil and Stadtbezirk a place is in.

Before, the findings (and concerns) trigger, creating a walk and editing a walk each had
their own SQL for it, with small differences (which Ortsteil wins on a shared border). Now
the trigger and the walk code call this function, so a finding and a walk at the same
place always get the same districts.

The rules: a line is placed by its midpoint, any other geometry by itself; the Ortsteil is
the one whose boundary covers the place (``ST_Covers``: a point on the border counts, the
lowest id wins where two overlap); the Stadtbezirk is that Ortsteil's parent or, without
one, the Stadtbezirk covering the place.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

LOOKUP = """
CREATE FUNCTION mapapp_districts_at(place geometry, OUT ortsteil_id integer, OUT stadtbezirk_id integer)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH anchor AS (
        SELECT CASE WHEN GeometryType(place) = 'LINESTRING'
                    THEN ST_LineInterpolatePoint(place, 0.5) ELSE place END AS g
    ), ot AS (
        SELECT d.id, d.parent_id FROM districts d, anchor
        WHERE d.level = 'ortsteil' AND ST_Covers(d.geom, anchor.g)
        ORDER BY d.id LIMIT 1
    )
    SELECT (SELECT id FROM ot),
           COALESCE((SELECT parent_id FROM ot),
                    (SELECT d.id FROM districts d, anchor
                     WHERE d.level = 'stadtbezirk' AND ST_Covers(d.geom, anchor.g)
                     ORDER BY d.id LIMIT 1))
$$;
"""

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION findings_assign_districts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT at.ortsteil_id, at.stadtbezirk_id INTO NEW.ortsteil_id, NEW.stadtbezirk_id
    FROM mapapp_districts_at(NEW.geom) AS at;
    RETURN NEW;
END $$;
"""

# The trigger function of 0001, for the way down.
OLD_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION findings_assign_districts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    anchor geometry;
BEGIN
    anchor := CASE WHEN GeometryType(NEW.geom) = 'LINESTRING'
                   THEN ST_LineInterpolatePoint(NEW.geom, 0.5) ELSE NEW.geom END;
    SELECT d.id, d.parent_id INTO NEW.ortsteil_id, NEW.stadtbezirk_id
    FROM districts d
    WHERE d.level = 'ortsteil' AND ST_Covers(d.geom, anchor)
    ORDER BY d.id LIMIT 1;
    IF NEW.stadtbezirk_id IS NULL THEN
        SELECT d.id INTO NEW.stadtbezirk_id
        FROM districts d
        WHERE d.level = 'stadtbezirk' AND ST_Covers(d.geom, anchor)
        ORDER BY d.id LIMIT 1;
    END IF;
    RETURN NEW;
END $$;
"""


def upgrade():
    op.execute(LOOKUP)
    op.execute(TRIGGER_FUNCTION)


def downgrade():
    op.execute(OLD_TRIGGER_FUNCTION)
    op.execute("DROP FUNCTION IF EXISTS mapapp_districts_at(geometry)")
