"""(e) continued: the walk map's offline start, as a participant on the walk has it.

Debian's Chromium (driven by Playwright) joins the benchmark's walk on a phone-sized screen,
waits until the service worker holds the walk (``html[data-offline=ready]``), cuts the
network and opens the walk map again ``RUNS`` times. Measured: milliseconds from the start
of the navigation to the map's first pin (a finding or a pin group) in the page, with the
CPU slowed ``CPU_SLOWDOWN`` times as Lighthouse's mobile profile does. Median and worst.
"""
from __future__ import annotations

import shutil
import statistics

RUNS = 5
CPU_SLOWDOWN = 4
PIN = ".finding-marker, .finding-cluster"
# Notes the first pin's moment (ms since the navigation started) in window.__firstPin.
WATCH_PINS = """
new MutationObserver((changes, observer) => {
  if (document.querySelector('%s')) {
    window.__firstPin = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
""" % PIN


def offline_start(base_url: str, join_code: str) -> dict | None:
    """Median and worst time to the first pin of the cached walk map offline, or None without Chromium."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        return None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        try:
            # bypass_csp: Playwright's wait_for_function compiles its predicate in the page, which the
            # page's policy (no 'unsafe-eval') refuses; the tests check the policy, this only times.
            context = browser.new_context(viewport={"width": 412, "height": 839}, is_mobile=True, has_touch=True,
                                          locale="de-DE", base_url=base_url, bypass_csp=True)
            context.add_init_script(WATCH_PINS)
            page = context.new_page()
            page.goto(f"/w/{join_code}")
            page.locator("#join-button").click()
            page.wait_for_url(f"**/w/{join_code}/map")
            page.locator("body[data-ready='1']").wait_for(state="attached", timeout=60000)
            page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=60000)
            page.wait_for_function("window.__firstPin !== undefined", timeout=60000)
            context.set_offline(True)
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            times = []
            for _ in range(RUNS):
                page.goto(f"/w/{join_code}/map")
                page.wait_for_function("window.__firstPin !== undefined", timeout=60000)
                times.append(page.evaluate("window.__firstPin"))
            pins = page.locator(PIN).count()
        finally:
            browser.close()
    return {"median_ms": statistics.median(times), "worst_ms": max(times), "runs": RUNS, "pins": pins,
            "cpu_slowdown": CPU_SLOWDOWN}
