"""static/js as native ES modules: grouped by page, every import resolves, Leaflet imported, not global."""
import re
from pathlib import Path

import pytest

from mapapp.assets import VENDOR_MODULES
from mapapp.assets.vendor import leaflet_dir, markercluster_dir

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js"
PAGE_FOLDERS = {"capture", "review", "organiser", "public", "shared", "worker"}
IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)'(\.{1,2}/[^']+)'""")
VENDOR_DIRS = {"leaflet": leaflet_dir, "markercluster": markercluster_dir}
SCRIPTS = sorted(JS.glob("*/*.js"))


def imports(script: Path) -> list[str]:
    return IMPORT.findall(script.read_text("utf-8"))


def test_scripts_are_grouped_by_page_and_the_worker_is_a_folder_of_parts():
    assert list(JS.glob("*.js")) == []  # the worker is served at /sw.js from its parts in worker/
    assert {p.parent.name for p in SCRIPTS} <= PAGE_FOLDERS
    assert {"capture", "review", "organiser", "shared"} <= {p.parent.name for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_relative_import_names_a_file(script):
    for target in imports(script):
        resolved = (script.parent / target).resolve()
        if resolved.is_relative_to(ROOT / "vendor"):  # served by mapapp/assets/vendor.py
            package, filename = resolved.relative_to(ROOT / "vendor").as_posix().split("/", 1)
            assert (VENDOR_DIRS[package]() / filename).is_file(), target
        else:
            assert resolved.is_file(), f"{script.name}: {target}"


def test_shared_modules_import_no_page_module():
    for script in JS.glob("shared/*.js"):
        for target in imports(script):
            assert not target.startswith("../") or "/vendor/" in target, f"{script.name}: {target}"


def test_leaflet_is_imported_as_a_module_never_taken_from_the_global():
    """Only shared/leaflet.js sets window.L (for the plugins); every other script imports `L`."""
    for script in SCRIPTS:
        source = script.read_text("utf-8")
        uses = re.search(r"\bL\.[A-Za-z]", re.sub(r"^\s*(//|\*).*$", "", source, flags=re.MULTILINE))
        if script.name == "leaflet.js":
            assert "from '../../../vendor/leaflet/leaflet-src.esm.js'" in source and "window.L = L" in source
            continue
        assert "window.L" not in source, script.name
        if uses:
            assert re.search(r"import \{ L \} from '(\./|\.\./shared/)leaflet\.js'", source), script.name
    for template in (ROOT / "templates").rglob("*.html"):
        html = template.read_text("utf-8")
        assert "filename='leaflet.js'" not in html and "leaflet.markercluster.js') }}\"></script>" not in html, template


def test_the_vendor_modules_imported_are_the_unversioned_ones():
    """What the scripts import from /vendor is exactly what mapapp/assets leaves without ``?v=``."""
    imported = set()
    for script in SCRIPTS:
        for target in imports(script):
            if "/vendor/" in target:
                package, filename = target.split("/vendor/", 1)[1].split("/", 1)
                imported.add((f"vendor.{package}", filename))
    assert imported == VENDOR_MODULES


# Size limits (issue 13, STYLE.md): a function fits on a screen, a module stays readable.
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 300
# String/template literals and comments are blanked first, so that braces inside them do not count.
LITERAL_OR_COMMENT = re.compile(r"""'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`|/\*.*?\*/|//.*$""")
# A line that opens a function body: `function` (declarations, expressions, methods written so)
# or an arrow function whose body brace ends the line. Object-literal methods (`name() {`) are
# measured as part of the function that returns the object.
FUNCTION_START = re.compile(r"\bfunction\b|=>\s*\{\s*$")


def long_functions(source: str) -> list[tuple[int, int]]:
    """(first line, length) of every function over MAX_FUNCTION_LINES.

    Method: blank literals and comments line by line, then from each line that starts a function
    and ends with `{` count braces until they balance; the lines from there to that line,
    both included, are the function's length. Multi-line template literals are not blanked, which
    is harmless here (none of ours hold braces).
    """
    lines = [LITERAL_OR_COMMENT.sub("''", line) for line in source.splitlines()]
    found = []
    for start, line in enumerate(lines):
        if not FUNCTION_START.search(line) or not line.rstrip().endswith("{"):
            continue
        depth = 0
        for end in range(start, len(lines)):
            depth += lines[end].count("{") - lines[end].count("}")
            if depth <= 0:
                break
        if end - start + 1 > MAX_FUNCTION_LINES:
            found.append((start + 1, end - start + 1))
    return found


def test_the_size_check_finds_a_long_function():
    """Braces in strings and comments do not count; the closing line does."""
    body = ["  const text = `{`; // {", "  const other = '}' + \"{\"; /* } */"] + ["  work();"] * (MAX_FUNCTION_LINES - 3)
    small = "const small = () => {\n  return 1;\n};"
    source = "\n".join(["export function big(x) {", *body, "}", small])
    assert long_functions(source) == [(1, MAX_FUNCTION_LINES + 1)]
    assert long_functions(source.replace("  work();\n", "", 1)) == []


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.relative_to(JS).as_posix())
def test_functions_fit_on_a_screen_and_modules_stay_small(script):
    source = script.read_text("utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{script.name}: {len(source.splitlines())} lines"
    assert long_functions(source) == [], f"{script.name}: (first line, lines) of functions over {MAX_FUNCTION_LINES}"
