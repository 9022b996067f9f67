"""The app shell a phone keeps for offline use: which files, which version. No Flask here.

The service worker precaches these files on install. Its cache name carries a version
computed from their contents, so every deploy that changes a file changes the worker's
bytes: browsers then install the new worker, which fetches the new shell and drops the
old caches.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

# Folders and files under static/ that belong to the shell (relative to static/).
SHELL_GLOBS = ("js/*.js", "js/*/*.js", "css/*.css", "icons/*.png", "icons/*.svg", "favicon.svg")
# Scripts sit in static/js/<page>/; the worker's source is written in parts (static/js/worker/), served
# joined in this order at /sw.js, never cached; the first part holds the `const CONFIG = …;` line.
WORKER_DIR = "js/worker"
WORKER_PARTS = ("config.js", "lifecycle.js", "pages.js", "strategies.js", "tiles.js")
VENDOR_LEAFLET = ("leaflet-src.esm.js", "leaflet.css")  # the ES module static/js/shared/leaflet.js imports
EXIFR_BUILDS = ("lite.esm.js",)  # as named in templates/walk_map.html (#mapapp-assets)
MARKERCLUSTER_FILES = ("leaflet.markercluster.js", "MarkerCluster.css")  # static/js/shared/markercluster.js
CONFIG_LINE = re.compile(r"^const CONFIG = .*;$", re.MULTILINE)


def shell_files(static_dir: Path) -> list[str]:
    """Return the shell's files under ``static_dir`` as sorted relative POSIX paths."""
    found = {
        path.relative_to(static_dir).as_posix()
        for pattern in SHELL_GLOBS
        for path in static_dir.glob(pattern)
        if path.is_file()
    }
    return sorted(name for name in found if not name.startswith(WORKER_DIR + "/"))


def worker_parts(static_dir: Path) -> list[Path]:
    """The worker's source files, in the order they are joined."""
    return [static_dir / WORKER_DIR / name for name in WORKER_PARTS]


def worker_source(static_dir: Path) -> str:
    """The worker as one classic script: its parts joined, each starting on a line of its own."""
    return "\n".join(path.read_text(encoding="utf-8") for path in worker_parts(static_dir))


def leaflet_files(leaflet_dir: Path) -> list[str]:
    """Return Leaflet's script, stylesheet and control images, relative to its directory."""
    images = sorted(p.relative_to(leaflet_dir).as_posix() for p in (leaflet_dir / "images").glob("*.png"))
    return [name for name in VENDOR_LEAFLET if (leaflet_dir / name).is_file()] + images


def exifr_files(dist_dir: Path) -> list[str]:
    """Return the exifr build the walk map imports on the first photo (which may be taken offline)."""
    return [name for name in EXIFR_BUILDS if (dist_dir / name).is_file()]


def markercluster_files(dist_dir: Path) -> list[str]:
    """Return the Leaflet.markercluster script and stylesheet both map pages load."""
    return [name for name in MARKERCLUSTER_FILES if (dist_dir / name).is_file()]


def version(files: list[Path], extra: str = "") -> str:
    """Return a short hash over the files' names and contents (and ``extra``, e.g. the shell URL list)."""
    digest = hashlib.sha256(extra.encode())
    for path in files:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tile_pattern(template: str) -> str:
    """A regular expression (JavaScript syntax) for the absolute URLs of a Leaflet tile template.

    ``{z}``, ``{x}``, ``{y}`` (and ``{-y}``) match numbers, ``{s}`` a subdomain, ``{r}`` an optional
    ``@2x``; other placeholders any path segment text. A template ending in ``{y}`` (the self-hosted
    ``/basemap/{z}/{x}/{y}``) also admits a file extension after it.
    """
    parts = re.split(r"(\{[^}]*\})", template)
    placeholders = {"{z}": r"\d+", "{x}": r"\d+", "{y}": r"\d+", "{-y}": r"\d+", "{s}": r"[a-z0-9-]+",
                    "{r}": r"(?:@2x)?"}
    pattern = "".join(placeholders.get(part, r"[^/?#]*") if part.startswith("{") else re.escape(part)
                      for part in parts)
    if template.endswith("{y}"):
        pattern += r"(?:\.[a-z0-9]+)?"
    return f"^{pattern}$"


def render_worker(source: str, version_tag: str, precache: list[str], pages: list[str], **settings) -> str:
    """Put the version, the URL lists and further ``settings`` into the worker's ``const CONFIG = …;`` line."""
    config = json.dumps({"version": version_tag, "precache": precache, "pages": pages, **settings},
                        separators=(",", ":"))
    rendered, count = CONFIG_LINE.subn(lambda _: f"const CONFIG = {config};", source, count=1)
    if count != 1:
        raise ValueError("the worker has no `const CONFIG = …;` line to fill in")
    return rendered
