"""The static import graph of a page's ES module, for ``<link rel="modulepreload">``.

A browser finds a module's imports only after it has fetched and parsed the module, so a chain
``main.js → capture.js → capture-parts.js → place.js → …`` costs one round trip per level on a
phone's slow connection. The page lists the whole graph up front instead; the browser then
fetches every module in parallel and each import finds its module already loaded. Only static
``import … from '…'`` counts: what a script imports with ``import()`` stays on demand. No Flask here.
"""
from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path

# `import { a } from './x.js';`, `import './x.js';`, `export { b } from '../shared/y.js';` at a
# line's start (a dynamic `import('./z.js')` has a parenthesis and is left out).
STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'"();]*?['"]([^'"]+\.m?js)['"]""", re.MULTILINE)


def imports_of(source: str) -> list[str]:
    """The specifiers of a module's static imports (and re-exports), in order."""
    return STATIC_IMPORT.findall(source)


@functools.lru_cache(maxsize=256)
def _imports(path: str, mtime_ns: int) -> tuple[str, ...]:
    """A module file's import specifiers, read once per version of the file."""
    return tuple(imports_of(Path(path).read_text(encoding="utf-8")))


def module_graph(static_dir: Path, entry: str, static_url: str = "/static") -> list[str]:
    """URL paths of every module ``entry`` (a path under ``static_dir``) imports, directly or not.

    Depth first, in import order, each once, the entry itself left out. Modules outside
    ``static_url`` (Leaflet under /vendor) are listed but not read: they import nothing of ours.
    """
    root = static_url.rstrip("/")
    seen: dict[str, None] = {}

    def visit(url: str) -> None:
        path = static_dir / url[len(root) + 1:]
        for specifier in _imports(str(path), path.stat().st_mtime_ns):
            if not specifier.startswith((".", "/")):
                continue  # a bare name would need an import map: none of ours uses one
            target = posixpath.normpath(posixpath.join(posixpath.dirname(url), specifier))
            if target in seen:
                continue
            seen[target] = None
            if target.startswith(root + "/") and (static_dir / target[len(root) + 1:]).is_file():
                visit(target)

    visit(f"{root}/{entry}")
    return list(seen)
