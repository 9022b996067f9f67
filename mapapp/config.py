"""Configuration in layers: defaults here, then the environment, then test overrides.

Plain environment names are read for the settings that deployments conventionally
set (``DATABASE_URL``, ``SECRET_KEY``); everything else may be given as
``MAPAPP_<NAME>`` (Flask's prefixed-env loader, values parsed as JSON where they can be).
"""
import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo

PACKAGE_DIR = Path(__file__).resolve().parent


def project_dir() -> Path:
    """Return the source checkout when running from one, else the working directory."""
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


def var_dir() -> Path:
    """Return the directory for runtime state (embedded database, uploads, secret key)."""
    return Path(os.environ.get("MAPAPP_VAR_DIR") or project_dir() / "var").resolve()


# Duisburg's time zone, the only one people see: days in filters are whole days here, and
# times shown (pages, scripts, exports, the GeoReport feed) are Duisburg time. LOCAL_TZ is its
# name (for SQL's AT TIME ZONE), LOCAL_ZONE the tzinfo for Python.
LOCAL_TZ = "Europe/Berlin"
LOCAL_ZONE = ZoneInfo(LOCAL_TZ)

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_LINK = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
# The default credit; shown translated (mapapp.i18n.tile_attribution), a configured one as it is.
OSM_ATTRIBUTION = f'&copy; {OSM_LINK}-Mitwirkende'


class Defaults:
    """Settings every instance starts from."""

    JSON_SORT_KEYS = False
    # Signed-in sessions end after this long without a request, and this long after signing in
    # (mapapp/auth/__init__.py); logout, a new password and locking the account end them at once.
    SESSION_IDLE_MINUTES = 120
    SESSION_MAX_HOURS = 12
    # The address participants and the city reach the app at, e.g. "https://mitmachen.example.org":
    # join links, QR codes and Open311 URLs use it. Unset, they use the request's host, which must
    # then be one of TRUSTED_HOSTS (default: localhost names only); see mapapp/public_urls.py.
    PUBLIC_BASE_URL = ""
    TRUSTED_HOSTS = None  # a list (MAPAPP_TRUSTED_HOSTS='["mapapp.example", ".lan"]'); None: see above
    # The sites that may show a walk's results widget in a frame, space-separated origins
    # ("https://buergerplattform.example"); no other page may be framed (mapapp/results/readers.py).
    EMBED_ORIGINS = ""
    # Moderation before publication (mapapp/moderation/settings.py): "pre" (free text and photos
    # public once a team approved them), "post" (public at once, can be hidden) or "off" (no queue).
    MODERATION = "pre"
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # The pool across database restarts (see engine_options): fail fast, never keep stale connections.
    DB_CONNECT_TIMEOUT = 3
    DB_POOL_RECYCLE = 1800
    # 0: none. Background exports run in the web process and may run long statements at 1M rows.
    DB_STATEMENT_TIMEOUT_MS = 0
    # "pgbouncer" when a pooler in transaction mode stands in front of PostgreSQL (docs/scaling.md).
    DB_POOLER = ""
    TILE_URL = OSM_TILES
    TILE_ATTRIBUTION = OSM_ATTRIBUTION
    TILE_MAX_ZOOM = 19
    # A PMTiles archive (a path) the app serves itself as its basemap (mapapp/basemap): it then
    # replaces TILE_URL, so no map request leaves the app's origin.
    BASEMAP_PMTILES = ""
    # Map tiles a phone keeps of what it has shown (service worker; the oldest go first).
    TILE_CACHE_ENTRIES = 2000
    MAP_CENTER = [51.43, 6.75]
    MAP_ZOOM = 12
    # Who answers for the requests on the public Open311 feed (agency_responsible), by a public
    # name (MAPAPP_PUBLIC_AGENCY_NAME): never a team's name, teams are internal.
    PUBLIC_AGENCY_NAME = "Bürgerplattform Duisburg"
    FINDINGS_LIMIT_DEFAULT = 1000
    FINDINGS_LIMIT_MAX = 10000
    DESCRIPTION_MAX_CHARS = 2000
    # A line finding (a stretch of cycle path) may be at most this long (mapapp/findings/store.py).
    LINE_MAX_LENGTH_M = 5000
    # Photos: the upload routes get their own body limit (PUT: one photo; multipart POST: a
    # finding's worth plus 1 MB), set before any hook reads the body (photos/routes.py,
    # upload_body_limit), so MAX_CONTENT_LENGTH stays small for everything else.
    PHOTO_MAX_BYTES = 15 * 1024 * 1024
    PHOTO_MAX_PIXELS = 60_000_000
    PHOTOS_PER_FINDING = 5
    UPLOAD_DIR = None  # None: var_dir() / "uploads"
    # Faces and plates are blurred in every stored copy of a photo (mapapp/photos/blur.py). True:
    # also keep the unblurred original (never served or exported), so a reviewer can unblur a false hit.
    KEEP_UNBLURRED_ORIGINALS = False
    # The hand-over package's README (mapapp/exports/handover.py): licence and contact lines.
    EXPORT_LICENCE = ("Daten: Bürgerplattform mapapp Duisburg – Lizenz: Datenlizenz Deutschland – "
                      "Namensnennung – Version 2.0 (dl-de/by-2.0)")
    EXPORT_CONTACT = ""
    # Background exports (mapapp/exports/jobs.py, runner.py): files in EXPORT_DIR (None:
    # var_dir() / "exports"), run by a thread pool in the web process unless switched off
    # (then `mapapp export worker`), deleted after EXPORT_KEEP_HOURS.
    EXPORT_DIR = None
    EXPORT_JOBS_IN_PROCESS = True
    EXPORT_JOB_THREADS = 1
    EXPORT_KEEP_HOURS = 24
    EXPORT_STALE_MINUTES = 10
    EXPORT_PROGRESS_EVERY = 1000


def database_url() -> str:
    """Return ``DATABASE_URL`` or the URL of the embedded PostGIS cluster."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return normalise_database_url(url)
    from mapapp.devtools import embedded_pg

    return embedded_pg.Cluster.default().url()


def engine_options(cfg) -> dict:
    """SQLAlchemy engine options that let the app ride out a database restart.

    ``pool_pre_ping`` replaces connections the server closed, ``pool_recycle`` retires old
    ones, a connect timeout makes a down server fail in seconds (503, not a hung worker),
    an optional statement timeout caps runaway queries, and ``hide_parameters`` keeps
    bound values (which may be personal data) out of error messages and logs.
    """
    options = {"pool_pre_ping": True, "pool_recycle": cfg["DB_POOL_RECYCLE"], "hide_parameters": True,
               **(cfg.get("SQLALCHEMY_ENGINE_OPTIONS") or {})}
    connect_args = {"connect_timeout": int(cfg["DB_CONNECT_TIMEOUT"]), **options.get("connect_args", {})}
    if int(cfg["DB_STATEMENT_TIMEOUT_MS"] or 0) > 0 and not cfg.get("DB_POOLER"):
        # PgBouncer refuses the ``options`` startup parameter: behind it, set the role's timeout.
        connect_args.setdefault("options", f"-c statement_timeout={int(cfg['DB_STATEMENT_TIMEOUT_MS'])}")
    if cfg.get("DB_POOLER"):
        # A pooler in transaction mode gives each transaction any server connection: a statement
        # psycopg prepared (after 5 runs) on one is missing, or clashes by name, on another.
        connect_args["prepare_threshold"] = None
    options["connect_args"] = connect_args
    return options


def normalise_database_url(url: str) -> str:
    """Make plain ``postgres://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key() -> str:
    """Return ``SECRET_KEY`` or a random key kept in ``var/`` for development."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = var_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
