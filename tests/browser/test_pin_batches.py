"""static/js/shared/finding-entries.js in Chromium: a walk's many pins go on the map in batches,
a task apart, and a newer answer arriving while they are placed leaves exactly its own pins."""
import pytest

pytestmark = pytest.mark.browser

PINS = 65

RENDER_IN_PAGE = """async ([count]) => {
  const { L } = await import('/static/js/shared/leaflet.js');
  await import('/static/js/shared/markercluster.js');
  const { renderEntries } = await import('/static/js/shared/finding-entries.js');
  const box = document.createElement('div');
  box.style.cssText = 'width: 360px; height: 360px';
  document.body.append(box);
  const map = L.map(box, { center: [51.4, 6.7], zoom: 18, maxZoom: 19 });
  const pins = L.markerClusterGroup({ animate: false }).addTo(map);
  const lines = L.featureGroup().addTo(map);
  const layers = {
    entries: new Map(), actions: {}, url: '/api/findings', pins, lines,
    holderOf: (layer) => (layer instanceof L.Marker ? pins : lines),
  };
  const finding = (i, updated = '2026-12-07T08:00:00Z') => ({
    type: 'Feature', id: `f${i}`, geometry: { type: 'Point', coordinates: [6.7 + i * 2e-4, 51.4] },
    properties: { id: `f${i}`, kind: 'finding', category: 'noise', status: 'new', created_at: updated, updated_at: updated },
  });
  const shown = () => pins.getLayers().map((pin) => pin.options.icon.options.findingId).sort();
  const first = Array.from({ length: count }, (_, i) => finding(i));
  const firstDone = renderEntries(layers, first);
  const placedInFirstTask = shown().length;
  // A newer answer while the first is still being placed: f0 is gone, f3 (placed) and f50 (not yet)
  // changed, f999 is new.
  const second = [...first.slice(1), finding(3, '2026-12-07T09:00:00Z'), finding(50, '2026-12-07T09:00:00Z'), finding(999)];
  const secondDone = renderEntries(layers, second.filter((f, i, all) => all.findLastIndex((g) => g.id === f.id) === i));
  const results = [await firstDone, await secondDone];
  const current = [...layers.entries.values()].every((entry) => pins.hasLayer(entry.layer));
  const changed = ['f3', 'f50'].map((id) => layers.entries.get(id).feature.properties.updated_at);
  return { placedInFirstTask, results, shown: shown(), entries: [...layers.entries.keys()].sort(), current, changed };
}"""


def shown_after(count: int) -> list[str]:
    """The ids the second answer holds: f1 … f(count-1), f3, f50 and f999."""
    return sorted({f"f{i}" for i in range(1, count)} | {"f3", "f50", "f999"})


def test_many_pins_are_placed_in_batches_and_a_newer_answer_wins(desktop):
    desktop.goto("/")
    out = desktop.evaluate(RENDER_IN_PAGE, [PINS])
    assert 0 < out["placedInFirstTask"] < PINS, out["placedInFirstTask"]
    assert out["results"] == [False, True]  # the first render gave way to the second
    expected = shown_after(PINS)
    assert out["shown"] == expected  # each pin once, none of the superseded ones
    assert out["entries"] == expected
    assert out["current"] is True
    assert out["changed"] == ["2026-12-07T09:00:00Z"] * 2


def test_a_few_pins_are_placed_at_once(desktop):
    desktop.goto("/")
    out = desktop.evaluate(RENDER_IN_PAGE, [5])
    assert out["placedInFirstTask"] == 5
    assert out["results"] == [True, True]
    assert out["shown"] == out["entries"] == shown_after(5)
