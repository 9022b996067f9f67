"""The results as markdown: measurements per contender, then the targets met or not."""
from __future__ import annotations

from pathlib import Path


def _ms(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**not met**")


def viewport_tables(rows: list[dict]) -> tuple[list[str], list[tuple]]:
    """The detail table of the viewport runs, and the target rows derived from it."""
    lines = ["| view | clients | contender | answer | req/s | p50 ms | p95 ms | errors |",
             "|---|---:|---|---|---:|---:|---:|---:|"]
    by_key = {}
    for r in rows:
        res = r["result"]
        answer = f"{r['bytes'] / 1024:,.0f} KB" if r["bytes"] else ""
        who = r["who"] + (f" (limit {r['peer_limit']:,})" if r["who"] == "pygeoapi" else "")
        lines.append(f"| {r['view']} | {r['concurrency']} | {who} | {answer} | {res.rps:,.1f} | {_ms(res.p50_ms)} "
                     f"| {_ms(res.p95_ms)} | {res.errors} |")
        by_key[(r["view"], r["concurrency"], r["who"])] = res.rps
    targets = []
    for view, c in dict.fromkeys((r["view"], r["concurrency"]) for r in rows):
        ours = by_key.get((view, c, "mapapp"), 0)
        peer, bare = by_key.get((view, c, "pygeoapi")), by_key.get((view, c, "bare SQL"))
        if peer is not None:
            ratio = ours / peer if peer else float("inf")
            targets.append((f"viewport {view}, {c} client{'s' if c > 1 else ''}: mapapp / pygeoapi req/s",
                            f"{ratio:.1f}×" if peer else f"{ours:.1f} req/s, pygeoapi finished none", "≥ 4×",
                            ratio >= 4))
        if bare:
            ratio = ours / bare
            targets.append((f"viewport {view}, {c} client{'s' if c > 1 else ''}: mapapp / bare SQL req/s",
                            f"{ratio:.2f}×", "≥ 0.8×", ratio >= 0.8))
    return lines, targets


def ingest_section(ing) -> tuple[list[str], list[tuple]]:
    text = (f"{ing.clients} clients sent {ing.sent:,} findings (+{ing.retries:,} retries) in {ing.seconds:.1f} s: "
            f"{ing.per_second:,.0f} findings/s, p50 {_ms(ing.latency.p50_ms)} ms, "
            f"p95 {_ms(ing.latency.p95_ms)} ms; 201 created {ing.created:,}, 200 for a retry {ing.repeated_ok:,}, "
            f"failed {ing.failed:,}; stored afterwards {ing.stored:,}.")
    return ["## Ingest", "", text, ""], [
        ("ingest, 16 clients: findings/s", f"{ing.per_second:,.0f}/s", "≥ 300/s", ing.per_second >= 300),
        ("ingest: none lost, none doubled", f"{ing.stored:,} stored of {ing.sent:,}", "all, once", ing.intact),
    ]


def clusters_section(cl: dict) -> tuple[list[str], list[tuple]]:
    text = (f"{cl['findings']:,} findings, {cl['clusters']:,} clusters: bare ST_ClusterDBSCAN {cl['bare_s']:.2f} s, "
            f"find_clusters (hulls, counts, {cl['bytes'] / 1e6:.1f} MB GeoJSON) {cl['mapapp_s']:.2f} s "
            f"({cl['mapapp_s'] / cl['bare_s']:.1f}× the bare query).")
    return ["## Clustering", "", text, ""], [
        (f"clustering {cl['findings']:,} findings", f"{cl['mapapp_s']:.2f} s", "< 2 s", cl["mapapp_s"] < 2)]


def exports_section(rows: list[dict]) -> tuple[list[str], list[tuple]]:
    lines = ["## Exports", "", "| format | mapapp s | ogr2ogr s | mapapp MB | ogr2ogr MB |",
             "|---|---:|---:|---:|---:|"]
    targets = []
    for e in rows:
        lines.append(f"| {e['format']} | {e['mapapp_s']:.2f} | {e['ogr2ogr_s']:.2f} "
                     f"| {e['mapapp_bytes'] / 1e6:.1f} | {e['ogr2ogr_bytes'] / 1e6:.1f} |")
        ratio = e["mapapp_s"] / e["ogr2ogr_s"]
        targets.append((f"export {e['format']}: mapapp / ogr2ogr time", f"{ratio:.2f}×", "≤ 1.5×", ratio <= 1.5))
    return lines + [""], targets


def page_section(pg: dict) -> tuple[list[str], list[tuple]]:
    text = (f"{len(pg['files'])} files, {pg['sent'] / 1024:,.0f} KB as sent "
            f"({pg['gzip9'] / 1024:,.0f} KB if every file were gzip -9).")
    return ["## Phone page", "", text, ""], [
        ("phone page, first load, as sent", f"{pg['sent'] / 1024:,.0f} KB", "≤ 150 KB", pg["sent"] <= 150 * 1024)]


def lighthouse_section(lh: dict) -> tuple[list[str], list[tuple]]:
    lcp = f"{lh['lcp_ms'] / 1000:.1f} s" if lh.get("lcp_ms") else "–"
    lines = ["## Lighthouse (mobile)", "",
             f"performance {lh['performance']}, accessibility {lh['accessibility']}, largest contentful paint {lcp}."]
    lines += [f"Lighthouse warns: {w}" for w in lh.get("warnings", [])]
    return lines + [""], [("Lighthouse mobile performance", str(lh["performance"]), "≥ 95", lh["performance"] >= 95),
                ("Lighthouse mobile accessibility", str(lh["accessibility"]), "≥ 95", lh["accessibility"] >= 95)]


def render(meta: dict, results: dict) -> str:
    out = [f"# mapapp benchmark — {meta['when']}", "",
           f"{meta['n']:,} synthetic findings; gunicorn with {meta['workers']} workers × {meta['threads']} threads "
           f"each for mapapp and pygeoapi; {meta['duration']:g} s per viewport cell; machine: {meta['machine']}.", ""]
    targets: list[tuple] = []
    if results.get("viewport"):
        lines, found = viewport_tables(results["viewport"])
        out += ["## Viewport", "", f"mapapp endpoint: `{results['viewport'][0]['endpoint']}`", ""] + lines + [""]
        targets += found
    sections = [("ingest", ingest_section), ("clusters", clusters_section), ("exports", exports_section),
                ("page", page_section), ("lighthouse", lighthouse_section)]
    for key, section in sections:
        if results.get(key):
            lines, found = section(results[key])
            out += lines
            targets += found
    out += ["## Targets", "", "| measure | reached | target | |", "|---|---:|---:|---|"]
    out += [f"| {name} | {got} | {want} | {_verdict(ok)} |" for name, got, want, ok in targets]
    if results.get("skipped"):
        out += ["", "Skipped: " + ", ".join(results["skipped"]) + "."]
    if results.get("failed"):
        out += ["", "Failed: " + "; ".join(results["failed"]) + "."]
    return "\n".join(out) + "\n"


def write(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
