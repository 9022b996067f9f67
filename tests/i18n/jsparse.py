"""Read the German fallback object of static/js/strings.js (a plain object literal) into a dict."""
import re
from pathlib import Path

STRINGS_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "strings.js"
_TOKEN = re.compile(r"""\s*(?:(?P<key>[A-Za-z_$][\w$]*|'[^']*')\s*:\s*(?P<value>'(?:[^'\\]|\\.)*'|\{)|(?P<close>\}),?|,)""")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def read_strings(source: str | None = None) -> dict:
    """Return the nested dict of ``const GERMAN = {...}``."""
    source = source if source is not None else STRINGS_JS.read_text(encoding="utf-8")
    source = re.sub(r"^\s*//.*$", "", source, flags=re.M)
    start = source.index("const GERMAN = {") + len("const GERMAN = {")
    root: dict = {}
    stack = [root]
    pos = start
    while stack:
        match = _TOKEN.match(source, pos)
        if not match:
            raise ValueError(f"cannot read strings.js near: {source[pos:pos + 60]!r}")
        pos = match.end()
        if match.group("close"):
            stack.pop()
        elif match.group("key"):
            key = match.group("key").strip("'")
            if match.group("value") == "{":
                stack[-1][key] = {}
                stack.append(stack[-1][key])
            else:
                stack[-1][key] = _unquote(match.group("value"))
    return root
