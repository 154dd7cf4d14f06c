"""The app in Debian's chromium, served on 127.0.0.1, with no network beyond loopback."""

from __future__ import annotations

import pandas as pd

from tests.browser import ROOT, map_frame, open_app, open_lone_popup

STATIONS = pd.read_csv(ROOT / "data" / "stations.csv", dtype=str, keep_default_na=False)


def test_map_draws_every_station_offline_and_a_filter_redraws(browser, app_url, tmp_path):
    page, outside = open_app(browser, app_url)
    frame = map_frame(page)
    assert frame.evaluate("window.apsReady") == {"stations": len(STATIONS), "drawn": len(STATIONS)}
    frame.wait_for_selector(".aps-legend")
    frame.wait_for_function("window.apsBasemap > 170")  # the offline country basemap is drawn
    assert frame.locator(".leaflet-overlay-pane path").count() > 170
    assert "Alleged Chinese police stations" in frame.locator(".aps-maptitle").inner_text()
    page.screenshot(path=str(tmp_path / "app.png"))

    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.locator("input")
    box.click()
    box.fill("Italy")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # close the dropdown, which hides the page from a screen reader
    italy = int((STATIONS["country_code"] == "IT").sum())
    page.wait_for_function(
        "n => [...document.querySelectorAll('iframe')].some(f => f.contentWindow.apsReady && "
        "f.contentWindow.apsReady.stations === n)",
        arg=italy,
        timeout=30000,
    )
    frame = map_frame(page)
    assert frame.evaluate("window.apsReady.drawn") == italy
    assert "in Italy" in frame.locator(".aps-maptitle").inner_text()
    assert "country=IT" in page.url
    assert outside == []


def test_a_popup_cites_its_sources_as_safe_links(browser, app_url):
    page, _ = open_app(browser, app_url + "/?country=IT")
    frame = map_frame(page)
    popup = open_lone_popup(frame)
    text = popup.inner_text()
    assert "alleged police" in text.lower() and "Sources" in text and "Italy" in text
    links = frame.locator(".aps-popup a")
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("href").startswith(("https://", "http://"))
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
