"""Finding cells: counts of findings per fine grid cell, kept by a trigger, for the zoomed-out map.

A cell is 64 screen pixels at zoom 16 (152.87 m of EPSG:3857), numbered from the corner of
the web-mercator square, so every coarser grid the map and the vector tiles use is a union
of whole cells (index >> k). Per cell, category and district the table holds the number
of findings and the sums of their mercator coordinates (for the mean position). A finding
is placed by its point (a line by ST_PointOnSurface). ``finding_cells_rebuild()`` rebuilds
the table from scratch, e.g. after a bulk load with the trigger disabled.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The same formulas as mapapp/mapdata/viewport.py (ANCHOR, MERC_X, MERC_Y, BASE_CELL_M, HALF_WORLD).
FUNCTIONS = """
CREATE FUNCTION finding_cell_key(g geometry, OUT cx integer, OUT cy integer, OUT x float8, OUT y float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT floor((mx + 20037508.342789244) / 152.8740565703525)::integer,
           floor((my + 20037508.342789244) / 152.8740565703525)::integer, mx, my
    FROM (SELECT ST_X(p) * 20037508.342789244 / 180 AS mx,
                 ln(tan(pi() / 4 + radians(LEAST(GREATEST(ST_Y(p), -85.0511), 85.0511)) / 2)) * 6378137 AS my
          FROM (SELECT CASE WHEN GeometryType(g) = 'POINT' THEN g ELSE ST_PointOnSurface(g) END AS p) AS a) AS m
$$;

CREATE FUNCTION finding_cell_add(g geometry, category text, ortsteil integer, stadtbezirk integer, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    k := finding_cell_key(g);
    INSERT INTO finding_cells AS c (cx, cy, category_slug, ortsteil_id, stadtbezirk_id, n, sx, sy, newest)
    VALUES (k.cx, k.cy, category, COALESCE(ortsteil, 0), COALESCE(stadtbezirk, 0), delta,
            delta * k.x, delta * k.y, now())
    ON CONFLICT (cx, cy, category_slug, ortsteil_id, stadtbezirk_id) DO UPDATE
        SET n = c.n + EXCLUDED.n, sx = c.sx + EXCLUDED.sx, sy = c.sy + EXCLUDED.sy, newest = now();
    IF delta < 0 THEN
        DELETE FROM finding_cells
        WHERE (cx, cy, category_slug, ortsteil_id, stadtbezirk_id)
              = (k.cx, k.cy, category, COALESCE(ortsteil, 0), COALESCE(stadtbezirk, 0)) AND n <= 0;
    END IF;
END $$;

CREATE FUNCTION findings_maintain_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM finding_cell_add(OLD.geom, OLD.category_slug, OLD.ortsteil_id, OLD.stadtbezirk_id, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM finding_cell_add(NEW.geom, NEW.category_slug, NEW.ortsteil_id, NEW.stadtbezirk_id, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION findings_clear_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE finding_cells;
    RETURN NULL;
END $$;

CREATE FUNCTION finding_cells_rebuild() RETURNS void LANGUAGE sql AS $$
    TRUNCATE finding_cells;
    INSERT INTO finding_cells (cx, cy, category_slug, ortsteil_id, stadtbezirk_id, n, sx, sy, newest)
    SELECT (k).cx, (k).cy, category_slug, ortsteil_id, stadtbezirk_id, count(*), sum((k).x), sum((k).y), now()
    FROM (SELECT finding_cell_key(geom) AS k, category_slug,
                 COALESCE(ortsteil_id, 0) AS ortsteil_id, COALESCE(stadtbezirk_id, 0) AS stadtbezirk_id
          FROM findings) AS f
    GROUP BY 1, 2, 3, 4, 5;
$$;

CREATE TRIGGER findings_maintain_cells
    AFTER INSERT OR DELETE OR UPDATE OF geom, category_slug, ortsteil_id, stadtbezirk_id ON findings
    FOR EACH ROW EXECUTE FUNCTION findings_maintain_cells();
CREATE TRIGGER findings_clear_cells AFTER TRUNCATE ON findings
    FOR EACH STATEMENT EXECUTE FUNCTION findings_clear_cells();
"""


def upgrade():
    op.create_table('finding_cells',
    sa.Column('cx', sa.Integer(), nullable=False),
    sa.Column('cy', sa.Integer(), nullable=False),
    sa.Column('category_slug', sa.String(length=40), nullable=False),
    sa.Column('ortsteil_id', sa.Integer(), server_default='0', nullable=False),
    sa.Column('stadtbezirk_id', sa.Integer(), server_default='0', nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('sx', sa.Float(), nullable=False),
    sa.Column('sy', sa.Float(), nullable=False),
    sa.Column('newest', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('cx', 'cy', 'category_slug', 'ortsteil_id', 'stadtbezirk_id',
                            name=op.f('pk_finding_cells'))
    )
    op.execute(FUNCTIONS)
    op.execute("SELECT finding_cells_rebuild()")


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS findings_clear_cells ON findings")
    op.execute("DROP TRIGGER IF EXISTS findings_maintain_cells ON findings")
    for function in ("finding_cells_rebuild()", "findings_clear_cells()", "findings_maintain_cells()",
                     "finding_cell_add(geometry, text, integer, integer, integer)", "finding_cell_key(geometry)"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_table('finding_cells')
