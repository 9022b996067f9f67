"""The HTML map export opened from disk: every marker and line drawn, layers named in words,
the legend clear of the scale, nothing fetched from anywhere."""
import pytest

from mapapp.exports import report_data as rd
from mapapp.exports.html_map import write_html
from mapapp.exports.selection import Selection
from tests.browser.conftest import checked_page
from tests.exports.report_fixture import PLANTED, add_line, make_report

pytestmark = pytest.mark.browser


def test_export_opens_offline_with_markers_and_escaped_popups(browser, request, session, tmp_path):
    report = make_report(session, tmp_path / "uploads")
    add_line(session, report)
    path = tmp_path / "karte.html"
    with path.open("wb") as out:
        write_html(session, Selection(walk_id=report.walk_id, what="both", include_photos=True), out,
                   rd.ReportContext(report.storage, None))

    with checked_page(browser, request, viewport={"width": 1000, "height": 700}) as page:
        outside, dialogs = [], []

        def only_files(route):
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.context.route("**/*", only_files)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function("document.querySelectorAll('path.export-finding').length === 4")
        assert page.locator("path.export-concern").count() == 1
        line = page.locator("path.export-line")
        assert line.count() == 1
        assert line.get_attribute("d").count("L") == 2  # a polyline through the road's three points
        assert page.locator("path.export-finding:not(.export-line)").count() == 3
        assert page.locator(".leaflet-control-layers").count() == 1
        layers = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        assert [name.strip() for name in layers] == [
            "Grenzen der Ortsteile", "Funde: Leeres Ladenlokal (2)", "Funde: Radweg kaputt oder unsicher (2)",
            "Anliegen (1)"]
        assert "Leeres Ladenlokal (2)" in page.locator(".export-legend").inner_text()
        legend = page.locator(".export-legend").bounding_box()
        scale = page.locator(".leaflet-control-scale").bounding_box()
        assert legend["y"] + legend["height"] <= scale["y"]  # the legend stands clear above the scale

        planted = page.evaluate("""() => {
            const map = Object.values(window).find((value) => value instanceof L.Map);
            let opened = null;
            map.eachLayer((layer) => {
                if (!opened && layer instanceof L.CircleMarker && layer.getPopup()) {
                    layer.openPopup();
                    const box = layer.getPopup().getElement();
                    if (box && box.textContent.includes('alert(1)')) opened = box; else layer.closePopup();
                }
            });
            return opened && {text: opened.querySelector('p').textContent,
                              scripts: opened.querySelectorAll('script').length,
                              photos: [...opened.querySelectorAll('img')].map((img) => img.src.slice(0, 23))};
        }""")
        assert planted == {"text": PLANTED, "scripts": 0, "photos": ["data:image/jpeg;base64,"]}
        assert dialogs == [] and outside == []
        assert all(url.startswith("file://") for url in page.requests)
