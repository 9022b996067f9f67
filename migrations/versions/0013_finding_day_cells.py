"""Finding day cells: the cell counts of migration 0007 also per day, status and walk, at two sizes.

``finding_cells`` answers the map only when the filters are category and district. Views
filtered by dates, status or walk counted findings row by row. ``finding_day_cells`` holds
the same counts and coordinate sums per cell, Duisburg day of ``created_at``
(``config.LOCAL_TZ``), status as shown (the concern's once the finding belongs to one),
walk (the nil UUID for none), category and district, at two levels: ``level`` 0 is the
base cell of 0007, ``level`` 3 a cell of 8×8 base cells (``cx >> 3``), so zoomed-out views
sum few rows. The same trigger as ``finding_cells`` keeps it (now also on changes of status,
concern, walk and creation time), triggers on ``concerns`` follow a concern's status and
its deletion, and ``finding_cells_rebuild()`` rebuilds both tables.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from mapapp.config import LOCAL_TZ

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

NIL_WALK = '00000000-0000-0000-0000-000000000000'
COARSE_LEVEL = 3
KEY = "level, cx, cy, day, status, walk_id, category_slug, ortsteil_id, stadtbezirk_id"

FUNCTIONS = f"""
CREATE FUNCTION finding_shown_status(concern uuid, own text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT k.status FROM concerns k WHERE k.id = concern), own)
$$;

CREATE FUNCTION finding_day(created timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (created AT TIME ZONE '{LOCAL_TZ}')::date
$$;

CREATE FUNCTION finding_day_cell_add(f findings, shown text, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    k record;
    lvl integer;
BEGIN
    k := finding_cell_key(f.geom);
    FOREACH lvl IN ARRAY ARRAY[0, {COARSE_LEVEL}] LOOP
        INSERT INTO finding_day_cells AS c ({KEY}, n, sx, sy, newest)
        VALUES (lvl, k.cx >> lvl, k.cy >> lvl, finding_day(f.created_at), shown,
                COALESCE(f.walk_id, '{NIL_WALK}'), f.category_slug,
                COALESCE(f.ortsteil_id, 0), COALESCE(f.stadtbezirk_id, 0), delta, delta * k.x, delta * k.y, now())
        ON CONFLICT ({KEY}) DO UPDATE
            SET n = c.n + EXCLUDED.n, sx = c.sx + EXCLUDED.sx, sy = c.sy + EXCLUDED.sy, newest = now();
        IF delta < 0 THEN
            DELETE FROM finding_day_cells
            WHERE ({KEY}) = (lvl, k.cx >> lvl, k.cy >> lvl, finding_day(f.created_at), shown,
                             COALESCE(f.walk_id, '{NIL_WALK}'), f.category_slug,
                             COALESCE(f.ortsteil_id, 0), COALESCE(f.stadtbezirk_id, 0)) AND n <= 0;
        END IF;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION findings_maintain_cells() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved boolean := TG_OP <> 'UPDATE' OR (OLD.geom, OLD.category_slug, OLD.ortsteil_id, OLD.stadtbezirk_id)
        IS DISTINCT FROM (NEW.geom, NEW.category_slug, NEW.ortsteil_id, NEW.stadtbezirk_id);
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF moved THEN
            PERFORM finding_cell_add(OLD.geom, OLD.category_slug, OLD.ortsteil_id, OLD.stadtbezirk_id, -1);
        END IF;
        PERFORM finding_day_cell_add(OLD, finding_shown_status(OLD.concern_id, OLD.status), -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        IF moved THEN
            PERFORM finding_cell_add(NEW.geom, NEW.category_slug, NEW.ortsteil_id, NEW.stadtbezirk_id, 1);
        END IF;
        PERFORM finding_day_cell_add(NEW, finding_shown_status(NEW.concern_id, NEW.status), 1);
    END IF;
    RETURN NULL;
END $$;

-- A concern's findings show its status: they move when it changes, and back to their own
-- status before it is deleted (the foreign key then sets their concern_id NULL, and the
-- findings trigger no longer finds the concern).
CREATE FUNCTION concern_move_day_cells(concern uuid, from_status text, to_status text, own_after boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f findings;
BEGIN
    FOR f IN SELECT * FROM findings WHERE concern_id = concern LOOP
        PERFORM finding_day_cell_add(f, from_status, -1);
        PERFORM finding_day_cell_add(f, CASE WHEN own_after THEN f.status ELSE to_status END, 1);
    END LOOP;
END $$;

CREATE FUNCTION concerns_maintain_day_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM concern_move_day_cells(OLD.id, OLD.status, NULL, true);
        RETURN OLD;
    END IF;
    PERFORM concern_move_day_cells(NEW.id, OLD.status, NEW.status, false);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION findings_clear_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE finding_cells;
    TRUNCATE finding_day_cells;
    RETURN NULL;
END $$;

-- The cell key is computed once per finding (a function in FROM; ``(finding_cell_key(g)).cx`` in
-- the select list would call it once per field), and finding_cells is summed from the level-0 rows.
CREATE OR REPLACE FUNCTION finding_cells_rebuild() RETURNS void LANGUAGE sql AS $$
    TRUNCATE finding_day_cells;
    INSERT INTO finding_day_cells ({KEY}, n, sx, sy, newest)
    SELECT 0, k.cx, k.cy, finding_day(f.created_at), COALESCE(c.status, f.status),
           COALESCE(f.walk_id, '{NIL_WALK}'), f.category_slug, COALESCE(f.ortsteil_id, 0),
           COALESCE(f.stadtbezirk_id, 0), count(*), sum(k.x), sum(k.y), now()
    FROM findings f LEFT JOIN concerns c ON c.id = f.concern_id CROSS JOIN LATERAL finding_cell_key(f.geom) AS k
    GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
    TRUNCATE finding_cells;
    INSERT INTO finding_cells (cx, cy, category_slug, ortsteil_id, stadtbezirk_id, n, sx, sy, newest)
    SELECT cx, cy, category_slug, ortsteil_id, stadtbezirk_id, sum(n), sum(sx), sum(sy), now()
    FROM finding_day_cells WHERE level = 0
    GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO finding_day_cells ({KEY}, n, sx, sy, newest)
    SELECT {COARSE_LEVEL}, cx >> {COARSE_LEVEL}, cy >> {COARSE_LEVEL}, day, status, walk_id, category_slug,
           ortsteil_id, stadtbezirk_id, sum(n), sum(sx), sum(sy), now()
    FROM finding_day_cells WHERE level = 0
    GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
$$;

DROP TRIGGER findings_maintain_cells ON findings;
CREATE TRIGGER findings_maintain_cells
    AFTER INSERT OR DELETE OR UPDATE OF geom, category_slug, ortsteil_id, stadtbezirk_id,
        status, concern_id, walk_id, created_at ON findings
    FOR EACH ROW EXECUTE FUNCTION findings_maintain_cells();
CREATE TRIGGER concerns_maintain_day_cells
    AFTER UPDATE OF status ON concerns
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION concerns_maintain_day_cells();
CREATE TRIGGER concerns_release_day_cells
    BEFORE DELETE ON concerns
    FOR EACH ROW EXECUTE FUNCTION concerns_maintain_day_cells();
"""

OLD_FUNCTIONS = """
CREATE OR REPLACE FUNCTION findings_maintain_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM finding_cell_add(OLD.geom, OLD.category_slug, OLD.ortsteil_id, OLD.stadtbezirk_id, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM finding_cell_add(NEW.geom, NEW.category_slug, NEW.ortsteil_id, NEW.stadtbezirk_id, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION findings_clear_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE finding_cells;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION finding_cells_rebuild() RETURNS void LANGUAGE sql AS $$
    TRUNCATE finding_cells;
    INSERT INTO finding_cells (cx, cy, category_slug, ortsteil_id, stadtbezirk_id, n, sx, sy, newest)
    SELECT (k).cx, (k).cy, category_slug, ortsteil_id, stadtbezirk_id, count(*), sum((k).x), sum((k).y), now()
    FROM (SELECT finding_cell_key(geom) AS k, category_slug,
                 COALESCE(ortsteil_id, 0) AS ortsteil_id, COALESCE(stadtbezirk_id, 0) AS stadtbezirk_id
          FROM findings) AS f
    GROUP BY 1, 2, 3, 4, 5;
$$;

DROP TRIGGER findings_maintain_cells ON findings;
CREATE TRIGGER findings_maintain_cells
    AFTER INSERT OR DELETE OR UPDATE OF geom, category_slug, ortsteil_id, stadtbezirk_id ON findings
    FOR EACH ROW EXECUTE FUNCTION findings_maintain_cells();
"""


def upgrade():
    op.create_table(
        'finding_day_cells',
        sa.Column('level', sa.SmallInteger(), nullable=False),
        sa.Column('cx', sa.Integer(), nullable=False),
        sa.Column('cy', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('walk_id', UUID(as_uuid=True), nullable=False),
        sa.Column('category_slug', sa.String(length=40), nullable=False),
        sa.Column('ortsteil_id', sa.Integer(), nullable=False),
        sa.Column('stadtbezirk_id', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('sx', sa.Float(), nullable=False),
        sa.Column('sy', sa.Float(), nullable=False),
        sa.Column('newest', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint(*KEY.split(", "), name=op.f('pk_finding_day_cells')),
    )
    # The rim of a view is read in strips: west/east ones by (level, cx), south/north ones by this.
    op.create_index(op.f('ix_finding_day_cells_level_cy_cx'), 'finding_day_cells', ['level', 'cy', 'cx'])
    # A date range or a walk reads only its own rows of the view.
    op.create_index(op.f('ix_finding_day_cells_level_day'), 'finding_day_cells', ['level', 'day', 'cx', 'cy'])
    op.create_index(op.f('ix_finding_day_cells_level_walk'), 'finding_day_cells', ['level', 'walk_id', 'cx', 'cy'])
    op.execute(FUNCTIONS)
    op.execute("SELECT finding_cells_rebuild()")


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS concerns_release_day_cells ON concerns")
    op.execute("DROP TRIGGER IF EXISTS concerns_maintain_day_cells ON concerns")
    op.execute(OLD_FUNCTIONS)
    for function in ("concerns_maintain_day_cells()", "concern_move_day_cells(uuid, text, text, boolean)",
                     "finding_day_cell_add(findings, text, integer)", "finding_day(timestamptz)",
                     "finding_shown_status(uuid, text)"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
    for index in ('ix_finding_day_cells_level_walk', 'ix_finding_day_cells_level_day',
                  'ix_finding_day_cells_level_cy_cx'):
        op.drop_index(op.f(index), table_name='finding_day_cells')
    op.drop_table('finding_day_cells')
