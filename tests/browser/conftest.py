"""Browser fixtures: the app on a local port, Debian's Chromium driven by Playwright."""
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from mapapp.security import RequestHandler

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(app):
    """Serve the test app on 127.0.0.1 in a background thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=RequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(autouse=True)
def own_photo_files(photo_storage):
    """Give every browser test its own photo files, set up before its pages and kept until they close.

    A page may still load a photo after the test's last assertion (a popup showing the server's
    copy once the upload settled); were the storage swapped back first, that request would 404.
    """
    return photo_storage


@pytest.fixture(scope="session")
def browser(playwright_driver):
    playwright, executable = playwright_driver
    chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI);
});
"""


@contextmanager
def checked_page(browser, request, **context_options):
    """A page that must log no errors: no uncaught exception, no console error, no CSP violation.

    A test may tolerate console errors containing given texts with
    ``@pytest.mark.tolerate_console("status of 412")`` (Chromium logs every failed fetch,
    also the ones the page handles and shows). ``page.requests`` lists every URL requested; a
    failure names the requests that failed or were answered with an error status.
    """
    tolerated = [text for marker in request.node.iter_markers("tolerate_console") for text in marker.args]
    context = browser.new_context(locale="de-DE", **context_options)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.requests = []
    context.on("request", lambda req: page.requests.append(req.url))
    errors, failed = [], []
    context.on("requestfailed", lambda req: failed.append(f"{req.method} {req.url}: {req.failure}"))
    context.on("response", lambda resp: resp.status >= 400
               and failed.append(f"{resp.request.method} {resp.url}: {resp.status}"))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and not any(t in msg.text for t in tolerated)
            and errors.append(msg.text))
    yield page
    context.close()
    assert errors == [], f"the page logged errors: {errors}; failed requests: {failed}"


@pytest.fixture
def phone(browser, live_server, request):
    """A phone-sized page whose emulated GPS stands on Bismarckplatz in Alt-Homberg."""
    with checked_page(
        browser, request, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
        has_touch=True, geolocation={"latitude": 51.4565, "longitude": 6.6995, "accuracy": 12},
        permissions=["geolocation"], base_url=live_server,
    ) as page:
        yield page


@pytest.fixture
def desktop(browser, live_server, request):
    """A desktop-sized page (1280x900) for organisers and teams."""
    with checked_page(browser, request, viewport={"width": 1280, "height": 900}, base_url=live_server) as page:
        yield page


@pytest.fixture(params=["de", "ar"])
def phone_de_ar(browser, live_server, request):
    """A small phone's page (360×640) in German, then in Arabic (right to left); ``page.lang`` says which."""
    with checked_page(browser, request, viewport={"width": 360, "height": 640}, device_scale_factor=2,
                      is_mobile=True, has_touch=True, base_url=live_server) as page:
        page.lang = request.param
        yield page


def boxes(page, selector):
    """The viewport boxes ({left, top, right, bottom}) of the shown elements matching ``selector``."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
      .map((node) => node.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom}))""", selector)


def intersect(a, b):
    """Whether two boxes from ``boxes`` overlap."""
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
