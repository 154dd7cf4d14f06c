"""Uploads in chromium: a messy file is reported and mapped; hostile text never runs."""

from __future__ import annotations

import pytest

from geo.upload.read import read_upload
from geo.view import mapping
from tests.browser import map_frame, open_app
from tests.conftest import FIXTURES

OPEN_EVERYTHING = """() => {
    // Every popup and tooltip, opened the way a reader's click and hover open them.
    const shown = [];
    for (const m of window.apsLayer.markers) {
        const map = m._map;
        m.fire('click', {latlng: m.getLatLng()}, true);
        const popup = document.querySelector('.leaflet-popup-content');
        shown.push(popup ? popup.textContent : null);
        map.closePopup();
        m.fire('mouseover', {latlng: m.getLatLng()}, true);
        const tip = document.querySelector('.leaflet-tooltip');
        shown.push(tip ? tip.textContent : null);
        m.fire('mouseout', {latlng: m.getLatLng()}, true);
    }
    return shown;
}"""


def upload_in_app(browser, app_url, fixture):
    page, outside = open_app(browser, app_url)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("My CSV file").click()
    page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(str(FIXTURES / fixture))
    return page, dialogs, outside


def test_a_messy_spreadsheet_is_reported_and_its_good_rows_mapped(browser, app_url, gazetteer):
    expected = read_upload((FIXTURES / "upload_messy_export.csv").read_bytes(), "upload_messy_export.csv", gazetteer)
    assert len(expected.stations) and len(expected.attention)
    page, _, _ = upload_in_app(browser, app_url, "upload_messy_export.csv")
    page.get_by_text("need attention and are listed below, not dropped").wait_for(timeout=30000)
    page.wait_for_function(
        "n => [...document.querySelectorAll('iframe')].some(f => f.contentWindow.apsReady && "
        "f.contentWindow.apsReady.stations === n)",
        arg=len(expected.stations),
        timeout=30000,
    )
    assert page.get_by_text("Rows that need attention").is_visible()
    # the run that waited for the file did not draw the filters; their defaults must survive it
    assert page.get_by_label("Include stations with no reported opening year").is_checked()


def test_script_in_an_upload_never_runs_in_the_app(browser, app_url):
    page, dialogs, outside = upload_in_app(browser, app_url, "upload_hostile_script.csv")
    page.get_by_text("All 7 rows of your file are on the map.").wait_for(timeout=30000)
    page.wait_for_function(
        "[...document.querySelectorAll('iframe')].some(f => f.contentWindow.apsReady "
        "&& f.contentWindow.apsReady.stations === 7)",
        timeout=30000,
    )
    frame = next(f for f in page.frames if f.evaluate("!!window.apsReady && window.apsReady.stations === 7"))
    frame.wait_for_function("window.apsLayer.markers.every(m => m._map)")  # none hidden in a cluster
    shown = frame.evaluate(OPEN_EVERYTHING)
    assert len(shown) == 14 and all(shown)
    assert any("<img src=x onerror=alert(1)>" in text for text in shown)  # shown as text
    page.wait_for_timeout(500)
    assert dialogs == [] and frame.evaluate("window.apsReady.drawn") == 7
    assert outside == []


@pytest.mark.parametrize("still", [False, True])
def test_script_in_an_upload_never_runs_in_the_standalone_export(browser, gazetteer, tmp_path, still):
    result = read_upload((FIXTURES / "upload_hostile_script.csv").read_bytes(), "h.csv", gazetteer)
    overlay = {
        "title": "<img src=x onerror=alert('title')>",
        "subtitle": "${alert('s')}",
        "filters": "</script><script>alert('f')</script>",
        "credit": "`+alert('c')+`",
    }
    path = tmp_path / "map.html"
    path.write_text(mapping.standalone_html(result.stations, still=still, **overlay), encoding="utf-8")
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("window.apsReady && window.apsBasemap > 170")
    page.wait_for_function("window.apsLayer.markers.every(m => m._map)")
    shown = page.evaluate(OPEN_EVERYTHING)
    assert len(shown) == 14 and all(shown)
    assert page.locator(".aps-maptitle").inner_text() == overlay["title"]
    page.wait_for_timeout(300)
    assert dialogs == [] and page.evaluate("window.apsReady.drawn") == 7
    page.close()


def test_an_ordinary_list_maps_as_its_own_points_with_no_word_of_police(browser, app_url):
    page, dialogs, outside = upload_in_app(browser, app_url, "upload_generic_list.csv")
    page.get_by_text("All 30 rows of your file are on the map.").wait_for(timeout=30000)
    page.wait_for_function(
        "[...document.querySelectorAll('iframe')].some(f => f.contentWindow.apsReady "
        "&& f.contentWindow.apsReady.stations === 30)",
        timeout=30000,
    )
    frame = next(f for f in page.frames if f.evaluate("!!window.apsReady && window.apsReady.stations === 30"))
    shown = frame.evaluate(
        """() => window.apsLayer.markers.map((m, i) => { window.apsLayer.open(i);
            const p = document.querySelector('.leaflet-popup-content'); return p ? p.textContent : ''; })"""
    )
    assert len(shown) == 30 and all("Example Institute" in t for t in shown)  # headed by the names
    legend = frame.inner_text(".aps-legend")
    assert "school classroom (12)" in legend and "university partnership (12)" in legend
    page.wait_for_timeout(300)
    everything = " ".join([page.inner_text("body"), frame.inner_text("body"), *shown]).lower()
    # (the sidebar's "Read my file as" switch names the other reading: the one place the word may stand)
    everything = everything.replace("police stations (the map's format)", "")
    assert "police" not in everything and "alleged" not in everything and "host response" not in everything
    assert "Your map" in page.inner_text("body") and "Showing 30 of 30 points" in page.inner_text("body")
    assert dialogs == [] and outside == []
