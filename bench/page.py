"""(e) The phone page: bytes on the wire on first load, and a Lighthouse mobile run.

The page's resources are found the way a browser finds them: the HTML's scripts, styles,
icons and manifest and the ES modules they import (static and dynamic ``import``). Images
a style sheet merely references are left out: a browser fetches them only for elements
that use them. Each is fetched with ``Accept-Encoding: gzip, br`` and
counted as sent; ``gzip -9`` of each shows what compression could reach.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench import servers

LIGHTHOUSE = "lighthouse@12.8.2"  # the 12.x line runs on Node.js 18/20 (13.x wants 22)
IMPORT_RE = re.compile(r"""(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?\(?\s*['"]([^'"]+\.m?js)['"]""")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href") and (a.get("rel") or "").lower() in (
                "stylesheet", "modulepreload", "preload", "icon", "manifest"):
            self.urls.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.urls.append(a["src"])


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("data:")


def transfer(port: int, path: str = "/") -> dict:
    """Fetch the page and everything it loads; return per-file sent and gzip -9 sizes."""
    headers = {"Accept-Encoding": "gzip, br", "User-Agent": "Mozilla/5.0 (Linux; Android 13) bench"}
    seen, queue, files = set(), [path], []
    while queue:
        url = queue.pop(0)
        if url in seen or not _local(url):
            continue
        seen.add(url)
        status, head, body = servers.get(port, url, headers)
        if status != 200:
            files.append({"url": url, "status": status, "sent": len(body), "gzip9": len(body), "raw": 0})
            continue
        raw = _decoded(body, head.get("content-encoding", ""))
        files.append({"url": url, "status": status, "sent": len(body), "raw": len(raw),
                      "encoding": head.get("content-encoding", ""), "gzip9": len(gzip.compress(raw, 9))})
        queue += [urljoin(url, ref).split("#", 1)[0] for ref in _references(url, head.get("content-type", ""), raw)]
    return {"files": files, "sent": sum(f["sent"] for f in files), "gzip9": sum(f["gzip9"] for f in files)}


def _decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli  # only when the server sends Brotli; its package brings the decoder

        return brotli.decompress(body)
    return body


def _references(url: str, content_type: str, raw: bytes) -> list[str]:
    text = raw.decode("utf-8", errors="replace")
    if "html" in content_type:
        parser = _Links()
        parser.feed(text)
        return parser.urls
    if "javascript" in content_type or url.endswith((".js", ".mjs")):
        return IMPORT_RE.findall(text)
    return []


LIGHTHOUSE_RUNS = 5  # Lighthouse's scores vary from run to run; its authors advise the median of five


def lighthouse(base_url: str, var: Path, path: str = "/", runs: int = LIGHTHOUSE_RUNS) -> dict | None:
    """Lighthouse (mobile, the default form factor) performance and accessibility of ``path``: the run
    with the median performance of ``runs``, with every run's performance listed; None without Chromium."""
    chrome = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chrome or not shutil.which("npm"):
        return None
    binary = var / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "install", "--prefix", str(var), "--no-audit", "--no-fund", "--no-save",
                        LIGHTHOUSE], check=True, capture_output=True)
    results = sorted((_lighthouse_once(binary, chrome, base_url, var, path) for _ in range(runs)),
                     key=lambda result: result["performance"])
    median = results[len(results) // 2]
    return {**median, "runs": [result["performance"] for result in results]}


def _lighthouse_once(binary: Path, chrome: str, base_url: str, var: Path, path: str) -> dict:
    report = var / "lighthouse.json"
    error = "no report"
    for _attempt in range(3):  # its trace recording fails now and then on a busy machine (NO_NAVSTART)
        report.unlink(missing_ok=True)
        subprocess.run([str(binary), base_url + path, "--output=json", f"--output-path={report}", "--quiet",
                        "--only-categories=performance,accessibility",
                        "--chrome-flags=--headless=new --no-sandbox"],
                       capture_output=True, env={**os.environ, "CHROME_PATH": chrome})
        if not report.exists():
            continue
        data = json.loads(report.read_text())
        cats = data["categories"]
        if data.get("runtimeError") or cats["performance"]["score"] is None:
            error = (data.get("runtimeError") or {}).get("code", "no performance score")
            continue
        return {"performance": round(100 * cats["performance"]["score"]),
                "accessibility": round(100 * (cats["accessibility"]["score"] or 0)),
                "lcp_ms": data["audits"]["largest-contentful-paint"].get("numericValue"),
                "tbt_ms": data["audits"]["total-blocking-time"].get("numericValue"),
                "warnings": data.get("runWarnings", []), "path": path,
                "failing": [audit["title"] for audit in data["audits"].values()
                            if audit.get("score") is not None and audit["score"] < 0.9
                            and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")][:12]}
    raise RuntimeError(f"Lighthouse failed three times ({error})")
