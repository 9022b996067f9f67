"""The results as markdown: measurements per contender, then the targets met or not."""
from __future__ import annotations

from pathlib import Path

from bench.blur import section as blur_section


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


def filtered_section(rows: list[dict]) -> tuple[list[str], list[tuple]]:
    """Random views per filter kind: the table, and the ratios to the unfiltered views and to the bare SQL."""
    from bench.filtered import APP_VS_BARE, FILTERED_VS_PLAIN, SCREEN_PX, VIEW_COUNT

    lines = ["## Random views, without and with filters", "",
             f"{VIEW_COUNT} random views of a {SCREEN_PX[0]}×{SCREEN_PX[1]} px screen at zoom 12–17, asked in turn; "
             "filters: none, a random window of 7–60 days with one or two statuses, the 100,000-finding walk.", "",
             "| filter | clients | contender | req/s | p50 ms | p95 ms | errors |",
             "|---|---:|---|---:|---:|---:|---:|"]
    p95 = {}
    for r in rows:
        res = r["result"]
        lines.append(f"| {r['kind']} | {r['concurrency']} | {r['who']} | {res.rps:,.1f} | {_ms(res.p50_ms)} "
                     f"| {_ms(res.p95_ms)} | {res.errors} |")
        p95[(r["kind"], r["concurrency"], r["who"])] = res.p95_ms
    targets = []
    for kind, c in dict.fromkeys((r["kind"], r["concurrency"]) for r in rows):
        clients = f"{c} client{'s' if c > 1 else ''}"
        ours, bare, plain = p95.get((kind, c, "mapapp")), p95.get((kind, c, "bare SQL")), p95.get(("none", c, "mapapp"))
        if kind != "none" and ours and plain:
            ratio = ours / plain
            targets.append((f"views filtered by {kind}, {clients}: p95 / unfiltered p95", f"{ratio:.2f}×",
                            f"≤ {FILTERED_VS_PLAIN}×", ratio <= FILTERED_VS_PLAIN))
        if ours and bare:
            ratio = ours / bare
            targets.append((f"views filtered by {kind}, {clients}: mapapp p95 / bare SQL p95", f"{ratio:.2f}×",
                            f"≤ {APP_VS_BARE}×", ratio <= APP_VS_BARE))
    return lines + [""], targets


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
    ratio = cl["mapapp_s"] / cl["bare_s"]
    text = (f"{cl['findings']:,} findings, {cl['clusters']:,} clusters: bare ST_ClusterDBSCAN {cl['bare_s']:.2f} s, "
            f"find_clusters (hulls, counts, first page of the answer, {cl['bytes'] / 1e6:.1f} MB GeoJSON) "
            f"{cl['mapapp_s']:.2f} s ({ratio:.1f}× the bare query).")
    return ["## Clustering", "", text, ""], [
        (f"clustering {cl['findings']:,} findings", f"{cl['mapapp_s']:.2f} s", "< 2 s", cl["mapapp_s"] < 2),
        (f"clustering {cl['findings']:,} findings: find_clusters / bare ST_ClusterDBSCAN", f"{ratio:.2f}×", "≤ 2×",
         ratio <= 2)]


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


def lighthouse_section(lh: dict, page: str = "front page") -> tuple[list[str], list[tuple]]:
    lcp = f"{lh['lcp_ms'] / 1000:.1f} s" if lh.get("lcp_ms") else "–"
    runs = lh.get("runs") or [lh["performance"]]
    tbt = f", total blocking time {lh['tbt_ms']:,.0f} ms" if lh.get("tbt_ms") is not None else ""
    lines = [f"## Lighthouse (mobile), {page}", "",
             f"`{lh.get('path', '/')}`: performance {lh['performance']} (median of {len(runs)} runs: "
             f"{', '.join(map(str, runs))}), accessibility {lh['accessibility']}, largest contentful paint {lcp}{tbt} "
             "in the median run."]
    if lh.get("failing"):
        lines.append("Audits below 0.9: " + "; ".join(lh["failing"]) + ".")
    lines += [f"Lighthouse warns: {w}" for w in lh.get("warnings", [])]
    return lines + [""], [
        (f"Lighthouse mobile performance, {page}", str(lh["performance"]), "≥ 95", lh["performance"] >= 95),
        (f"Lighthouse mobile accessibility, {page}", str(lh["accessibility"]), "≥ 95", lh["accessibility"] >= 95)]


def offline_section(off: dict) -> tuple[list[str], list[tuple]]:
    text = (f"The walk map opened {off['runs']} times from the service worker with the network cut, CPU slowed "
            f"{off['cpu_slowdown']}×: first pin after {off['median_ms']:,.0f} ms (median), {off['worst_ms']:,.0f} ms "
            f"at worst; {off['pins']} pins and pin groups shown.")
    return ["## Walk map offline start", "", text, ""], [
        ("walk map offline start: first pin (median)", f"{off['median_ms']:,.0f} ms", "measured", None)]


def render(meta: dict, results: dict) -> str:
    out = [f"# mapapp benchmark — {meta['when']}", "",
           f"{meta['n']:,} synthetic findings; gunicorn with {meta['workers']} workers × {meta['threads']} threads "
           f"each for mapapp and pygeoapi; {meta['duration']:g} s per viewport cell; machine: {meta['machine']}.", ""]
    targets: list[tuple] = []
    if results.get("viewport"):
        lines, found = viewport_tables(results["viewport"])
        out += ["## Viewport", "", f"mapapp endpoint: `{results['viewport'][0]['endpoint']}`", ""] + lines + [""]
        targets += found
    sections = [("filtered", filtered_section), ("ingest", ingest_section), ("clusters", clusters_section),
                ("exports", exports_section), ("page", page_section), ("lighthouse", lighthouse_section),
                ("lighthouse_walk", lambda lh: lighthouse_section(lh, "walk map")), ("offline", offline_section),
                ("blur", blur_section)]
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
