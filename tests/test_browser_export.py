"""Exports and shared links, end to end in chromium against the app on 127.0.0.1."""

from __future__ import annotations

import csv
import io

import pandas as pd
from PIL import Image

from tests.browser import ROOT, download, map_frame, open_app, open_lone_popup

STATIONS = pd.read_csv(ROOT / "data" / "stations.csv", dtype=str, keep_default_na=False)
ITALY = int((STATIONS["country_code"] == "IT").sum())


def open_tab(page, name):
    page.get_by_role("tab", name=name).click()


def test_png_export_is_the_preset_size_and_not_blank(browser, app_url, tmp_path):
    page, _ = open_app(browser, app_url + "/?country=IT&preset=web&scale=2")
    map_frame(page)
    open_tab(page, "Export & share")
    page.get_by_role("button", name="Make PNG").click()
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name="Download PNG").click(timeout=60000)
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "alleged-chinese-police-stations-in-italy.png"
    image = Image.open(path)
    assert image.size == (2560, 1440)
    assert len(image.convert("RGB").resize((200, 200)).getcolors(maxcolors=100_000)) > 50


def test_standalone_html_works_from_disk_with_no_network(browser, app_url, tmp_path):
    path = download(browser, app_url + "/?country=IT", "Download standalone HTML map", tmp_path)

    context = browser.new_context(offline=True)
    offline = context.new_page()
    asked = []
    offline.on("request", lambda r: asked.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    offline.goto(path.as_uri())
    offline.wait_for_function("window.apsReady && window.apsBasemap > 170")
    assert offline.evaluate("window.apsReady") == {"stations": ITALY, "drawn": ITALY}
    link = open_lone_popup(offline).query_selector("a")
    assert link.get_attribute("href").startswith("http") and link.get_attribute("target") == "_blank"
    assert asked == []
    context.close()


def test_csv_download_holds_the_filtered_rows_and_is_formula_safe(browser, app_url, tmp_path):
    path = download(browser, app_url + "/?country=IT", "Download CSV (filtered)", tmp_path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == ITALY and {r["country_code"] for r in rows} == {"IT"}
    assert all(r["source_1_url"].startswith("http") for r in rows)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_a_shared_link_opens_the_same_view_in_a_fresh_browser(browser, app_url):
    page, _ = open_app(browser, app_url)
    map_frame(page)
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.locator("input")
    box.click()
    box.fill("Italy")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # close the dropdown, which hides the page from a screen reader
    page.wait_for_function("() => location.search.includes('country=IT')")
    open_tab(page, "Export & share")
    link = page.locator("code").filter(has_text="country=IT").first.inner_text()

    context = browser.new_context()
    fresh, _ = open_app(browser, link, context=context)
    frame = map_frame(fresh)
    assert frame.evaluate("window.apsReady.drawn") == ITALY
    assert "Italy" in fresh.get_by_test_id("stSidebar").inner_text()
    context.close()
