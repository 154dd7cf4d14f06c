"""Many stations in chromium: the deflated payload and the canvas layer, with hostile text.

The page is a standalone export opened from disk; nothing is timed here (see bench/).
"""

from __future__ import annotations

import pytest

from geo.view import mapping
from tests.conftest import hostile_frame

OVERLAY = {"title": "T", "subtitle": "S", "filters": "F", "credit": "C"}
NOTE = "<img src=x onerror=alert(3)> {{ 7*7 }} x"


def open_map(browser, tmp_path, n, tiny, spread=False):
    df = hostile_frame(tiny).sample(n, replace=True, random_state=4)
    df["notes"] = NOTE
    if spread:  # distinct points, so a marker can be shown without a giant spiderfy
        df["lat"] = [float(v) + (j % 100) * 0.05 for j, v in enumerate(df["lat"])]
        df["lon"] = [float(v) + (j // 100) * 0.05 for j, v in enumerate(df["lon"])]
    path = tmp_path / "map.html"
    path.write_text(mapping.standalone_html(df, **OVERLAY), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function(f"window.apsReady && window.apsReady.drawn === {n}", timeout=60000)
    return page, dialogs


def check_popup(page, dialogs):
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert NOTE in popup.inner_text()  # shown as text, never parsed or evaluated
    assert popup.query_selector("img") is None
    links = popup.query_selector_all("a")
    assert links and all(a.get_attribute("href") == "https://example.org/ok" for a in links)
    assert all(a.get_attribute("rel") == "noopener noreferrer" for a in links)
    assert dialogs == []


def test_canvas_layer_draws_every_station_and_popups_list_them_as_text(browser, tmp_path, tiny):
    n = mapping.CLUSTER_MAX + 1
    page, dialogs = open_map(browser, tmp_path, n, tiny)
    # the screen position of a drawn station, away from the title and legend boxes
    point = page.evaluate("""() => {
        const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])[0];
        let dots = null;
        map.eachLayer(l => { if (l._px) { dots = l; } });
        const g = dots._grid;
        for (let a = 0; a < g.xs.length; a++) {
            const p = map.layerPointToContainerPoint(L.point(g.xs[a], g.ys[a]).add(g.min));
            if (p.x > 250 && p.x < 950 && p.y > 200 && p.y < 650) { return [p.x, p.y]; }
        }
        return null; }""")
    assert point, "no station drawn in the middle of the map"
    # density: 10,001 stations on 6 points are never drawn as just 6 dots; badges say how many
    density = page.evaluate("""() => {
        const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])[0];
        let dots = null;
        map.eachLayer(l => { if (l._px) { dots = l; } });
        return dots._density; }""")
    assert density["badges"] >= 1 and density["counted"] == n
    page.mouse.move(*point)
    page.wait_for_selector(".leaflet-tooltip")
    page.mouse.click(*point)
    check_popup(page, dialogs)
    # every station sharing the point is reachable from its popup: "1 of N at <place>", next, next...
    count = page.inner_text(".aps-count")
    assert count.startswith("1 of ") and " at " in count
    page.click(".aps-next")
    page.wait_for_function("() => document.querySelector('.aps-count').textContent.startsWith('2 of ')")
    page.close()


@pytest.mark.parametrize("n", [mapping.PACK_ABOVE + 1])
def test_deflated_payload_clusters_and_popups_show_text(browser, tmp_path, tiny, n):
    page, dialogs = open_map(browser, tmp_path, n, tiny, spread=True)
    # Close enough that the marker stands on its own, not in a cluster (asked again while the
    # opening fitBounds animation may still be finishing).
    page.wait_for_function(
        """() => {
        const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])[0];
        const m = window.apsLayer.markers[0];
        if (m._map && m.getElement()) { m.getElement().classList.add('aps-test-target'); return true; }
        if (!map._animatingZoom) { map.setView(m.getLatLng(), 12, {animate: false}); }
        return false; }""",
        timeout=30000,
        polling=250,
    )
    page.locator(".aps-test-target").click(force=True)
    check_popup(page, dialogs)
    page.close()
