"""The pages preload their module's whole static import graph (mapapp/assets/modules.py)."""
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from mapapp.assets.modules import imports_of, module_graph
from tests.factories import make_walk

STATIC = Path(__file__).resolve().parents[2] / "static"
PRELOAD = re.compile(r'<link rel="modulepreload" href="([^"]+)">')


def write(root: Path, name: str, source: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(source)


def test_imports_are_static_imports_and_re_exports_only():
    source = """import { a } from './a.js';
import './side-effect.js';
export { b } from "../shared/b.js";
import {
  c, d,
} from './c.js';
const later = () => import('./lazy.js');
// import { old } from './commented.js' is not at a line's start after the slashes
"""
    assert imports_of(source) == ["./a.js", "./side-effect.js", "../shared/b.js", "./c.js"]


def test_the_graph_is_every_module_reached_once_depth_first(tmp_path):
    write(tmp_path, "js/page/main.js", "import { x } from './x.js';\nimport { s } from '../shared/s.js';\n")
    write(tmp_path, "js/page/x.js", "import { s } from '../shared/s.js';\nimport { y } from './y.js';\n")
    write(tmp_path, "js/page/y.js", "import { x } from './x.js';\nimport { L } from '../../../vendor/l/l.esm.js';\n")
    write(tmp_path, "js/shared/s.js", "export const s = 1;\nconst lazy = () => import('./lazy.js');\n")
    assert module_graph(tmp_path, "js/page/main.js") == [
        "/static/js/page/x.js", "/static/js/shared/s.js", "/static/js/page/y.js", "/vendor/l/l.esm.js"]
    assert module_graph(tmp_path, "js/page/main.js", "/app/static")[-1] == "/app/vendor/l/l.esm.js"


@pytest.mark.parametrize("path, entry", [("/", "js/capture/main.js"), ("walk", "js/capture/main.js")])
def test_a_map_page_preloads_each_module_its_scripts_import(client, session, path, entry):
    if path == "walk":
        code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": make_walk(session)}).scalar()
        path = f"/w/{code}/map"
    html = client.get(path).get_data(as_text=True)
    preloaded = PRELOAD.findall(html)
    assert preloaded == module_graph(STATIC, entry)
    assert {"/static/js/capture/place-pin.js", "/vendor/leaflet/leaflet-src.esm.js",
            "/vendor/markercluster/leaflet.markercluster.js"} <= set(preloaded)
    for url in preloaded:
        assert client.get(url).status_code == 200, url
    assert html.index(preloaded[-1]) < html.index('<script type="module" src="/static/js/capture/main.js">')
