"""The layout's rules, read from the source with ``ast`` (issue 13; README "Layout").

* no module of ``mapapp/`` over 300 lines, no function over 60 lines; the lines of a
  multi-line SQL literal do not count (a query reads best in one piece);
* the top level of ``mapapp/`` holds only the wiring modules, everything else lives in
  the package of its capability;
* a blueprint package never imports another package's routes or pages module: what two
  blueprints share lives in a domain module.
"""
import ast
import re
from pathlib import Path

import pytest

MAPAPP = Path(__file__).resolve().parent.parent / "mapapp"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
WIRING_MODULES = {"__init__.py", "config.py", "errors.py", "logs.py", "statuses.py", "colours.py",
                  "public_urls.py"}
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE|DROP|ALTER TABLE)\b")  # SQL is upper case here
ROUTE_MODULE = re.compile(r"(^|_)(routes|pages)$")


def modules():
    return sorted(p for p in MAPAPP.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(MAPAPP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sql_lines(tree: ast.AST) -> set[int]:
    """Line numbers inside multi-line SQL string literals (not their first and last line)."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    lines = set()
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.end_lineno > node.lineno:
            if SQL.search(node.value):
                lines.update(range(node.lineno + 1, node.end_lineno))
        elif isinstance(node, ast.JoinedStr) and node.end_lineno > node.lineno:
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if SQL.search(literal):
                lines.update(range(node.lineno + 1, node.end_lineno))
    return lines


def counted(first: int, last: int, skip: set[int]) -> int:
    return sum(1 for n in range(first, last + 1) if n not in skip)


def parsed(path: Path):
    source = path.read_text(encoding="utf-8")
    return source, ast.parse(source)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(MAPAPP)))
def test_a_module_and_its_functions_are_short(path):
    source, tree = parsed(path)
    skip = sql_lines(tree)
    lines = counted(1, len(source.splitlines()), skip)
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split the module by what its parts do"
    long = [f"{node.name} ({counted(node.lineno, node.end_lineno, skip)} lines)"
            for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and counted(node.lineno, node.end_lineno, skip) > MAX_FUNCTION_LINES]
    assert long == []


def test_the_top_level_holds_only_the_wiring():
    top = {p.name for p in MAPAPP.glob("*.py")}
    assert top <= WIRING_MODULES, f"move {sorted(top - WIRING_MODULES)} into the package of its capability"


def imported_modules(path: Path, tree: ast.AST):
    """Every module an ``import`` or ``from … import`` of this file names (relative ones resolved)."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            yield base
            yield from (f"{base}.{a.name}" for a in node.names)


def blueprint_packages():
    return sorted(p.parent.name for p in MAPAPP.glob("*/__init__.py") if "Blueprint(" in p.read_text())


def test_the_rule_knows_the_blueprints():
    assert {"api", "review", "organiser", "mapdata", "open311"} <= set(blueprint_packages())


@pytest.mark.parametrize("package", blueprint_packages())
def test_a_blueprint_package_imports_no_other_packages_routes(package):
    foreign = []
    for path in sorted((MAPAPP / package).rglob("*.py")):
        _, tree = parsed(path)
        for name in imported_modules(path, tree):
            parts = name.split(".")
            if (len(parts) > 2 and parts[0] == "mapapp" and parts[1] != package
                    and ROUTE_MODULE.search(parts[-1])):
                foreign.append(f"{path.relative_to(MAPAPP)} imports {name}")
    assert foreign == []
