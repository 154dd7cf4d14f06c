"""The map a reader uses and a desk publishes, in chromium: popups that fit, every station of a
shared place within reach, the keyboard path, clean mode, insets, labels, vector exports."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from geo.data.dataset import read_dataset
from geo.view import mapping, picture
from geo.view import page as pagetext
from tests.browser import ROOT, map_frame, open_app

DATA = read_dataset(ROOT / "data")
PRATO = sorted(DATA.stations.loc[DATA.stations["city"] == "Prato", "station_id"])
VIEWPORTS = {"laptop": (1440, 900), "phone": (390, 844)}


def standalone(browser, tmp_path: Path, view, size, still=False, **kw):
    overlay = pagetext.overlay_text(view, "All stations", DATA.data_date, mapping.OFFLINE)
    path = tmp_path / ("still.html" if still else "map.html")
    path.write_text(mapping.standalone_html(view, still=still, **kw, **overlay), encoding="utf-8")
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(path.as_uri())
    page.wait_for_function("window.apsReady && window.apsReady.drawn > 0")
    return page


def rect(page, selector):
    return page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }",
        selector,
    )


def overlaps(a, b) -> bool:
    return a["l"] < b["r"] - 0.5 and a["r"] > b["l"] + 0.5 and a["t"] < b["b"] - 0.5 and a["b"] > b["t"] + 0.5


@pytest.mark.parametrize("device", VIEWPORTS)
def test_every_popup_fits_inside_the_map_clear_of_title_and_legend(browser, tmp_path, device):
    """The tallest popups (most sources, longest notes) stay inside the map and scroll inside."""
    page = standalone(browser, tmp_path, DATA.stations, VIEWPORTS[device])
    heavy = DATA.stations.assign(
        weight=[len(s) * 200 + len(n) for s, n in zip(DATA.stations["sources"], DATA.stations["notes"])]
    )
    rows = list(heavy.sort_values("weight", ascending=False).index[:4])
    frame = rect(page, ".leaflet-container")
    for row in rows:
        page.evaluate("i => window.apsLayer.open(i)", int(row))
        page.wait_for_selector(".leaflet-popup")
        page.wait_for_timeout(400)  # autopan
        box = rect(page, ".leaflet-popup")
        assert frame["l"] <= box["l"] and box["r"] <= frame["r"] and frame["t"] <= box["t"] and box["b"] <= frame["b"]
        content = page.locator(".leaflet-popup-content")
        scroll = content.evaluate("e => [e.scrollHeight, e.clientHeight, getComputedStyle(e).overflowY]")
        if scroll[0] > scroll[1] + 2:
            assert scroll[2] == "auto", "a popup taller than the map must scroll inside itself"
        if device == "laptop":  # room enough to keep clear of the title card and the legend band
            assert not overlaps(box, rect(page, ".aps-head")) and not overlaps(box, rect(page, ".aps-foot"))
    page.close()


def test_each_prato_station_is_two_actions_away_and_the_spider_stays_open(browser, tmp_path):
    page = standalone(browser, tmp_path, DATA.stations, (1440, 900))
    page.evaluate("() => { const m = window.apsLayer.group._map; m.setView([43.88, 11.1], 11, {animate: false}); }")
    page.wait_for_timeout(400)
    cluster = page.locator('.aps-cluster[aria-label^="Prato: "]')
    cluster.wait_for()
    name = cluster.get_attribute("aria-label")
    assert name.startswith(f"Prato: {len(PRATO)} stations: ") and "Fuzhou" in name
    cluster.click()  # the first action: the spider opens on the place's first station
    seen = []
    for step in range(len(PRATO)):
        want = f"{step + 1} of {len(PRATO)} at Prato"
        page.wait_for_function("t => (document.querySelector('.aps-count') || {}).textContent === t", arg=want)
        seen.append(page.evaluate("() => window.apsLayer.markers[window.apsLayer.popup.station].stationId"))
        assert page.locator(".leaflet-marker-icon.aps-mark").count() >= len(PRATO), "the spider collapsed"
        page.click(".aps-next")  # one action per further station
    assert sorted(seen) == PRATO
    # A leg of the spider opens its own station and leaves the spider open.
    page.keyboard.press("Escape")
    page.evaluate("() => window.apsLayer.group._map.panTo([43.88, 11.1], {animate: false})")
    page.wait_for_timeout(300)
    foot = rect(page, ".aps-foot")
    legs = page.evaluate(
        "() => [...document.querySelectorAll('.aps-mark[aria-label^=\"Prato\"]')].map(e => {"
        " const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })"
    )
    x, y = next((x, y) for x, y in legs if y < foot["t"] - 10)
    page.mouse.click(x, y)
    page.wait_for_function("() => (document.querySelector('.aps-count') || {}).textContent")
    assert page.locator(".aps-count").inner_text().endswith(f"of {len(PRATO)} at Prato")
    assert page.locator(".aps-mark").count() >= len(PRATO)
    page.close()


def test_keyboard_alone_reaches_a_source_of_each_prato_station(browser, tmp_path):
    italy = DATA.stations[DATA.stations["country_code"] == "IT"]
    page = standalone(browser, tmp_path, italy, (1440, 900))
    page.evaluate("() => window.apsLayer.group._map.setView([43.88, 11.1], 11, {animate: false})")
    page.wait_for_timeout(300)
    page.locator(".leaflet-container").focus()
    presses = 0
    while not (page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''") or "").startswith(
        "Prato: "
    ):
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 40, "no Prato cluster in the tab order"
    page.keyboard.press("Enter")
    reached = []
    for step in range(len(PRATO)):
        want = f"{step + 1} of {len(PRATO)} at Prato"
        page.wait_for_function("t => (document.querySelector('.aps-count') || {}).textContent === t", arg=want)
        assert page.evaluate("() => document.activeElement.className") == "aps-next"
        page.keyboard.press("Tab")
        link = page.evaluate("() => [document.activeElement.tagName, document.activeElement.href]")
        assert link[0] == "A" and link[1].startswith(("https://", "http://"))
        reached.append(page.evaluate("() => window.apsLayer.markers[window.apsLayer.popup.station].stationId"))
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")  # next station
    assert sorted(reached) == PRATO
    page.wait_for_function(
        "t => (document.querySelector('.aps-count') || {}).textContent === t", arg=f"1 of {len(PRATO)} at Prato"
    )
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate("() => document.activeElement.classList.contains('aps-mark')")
    page.close()


def test_stations_and_clusters_have_names_and_the_wheel_scrolls_the_page(browser, tmp_path):
    page = standalone(browser, tmp_path, DATA.stations, (1440, 900))
    names = page.evaluate(
        "() => [...document.querySelectorAll('.aps-mark, .aps-cluster')].map(e => e.getAttribute('aria-label'))"
    )
    assert names and all(names)
    assert any(" area: " in n or ": 2 stations: " in n for n in names)
    zoom = page.evaluate("() => window.apsLayer.group._map.getZoom()")
    page.mouse.move(700, 450)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.apsLayer.group._map.getZoom()") == zoom
    assert page.locator(".aps-hint.aps-show").count() == 1
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    page.wait_for_timeout(600)
    assert page.evaluate("() => window.apsLayer.group._map.getZoom()") > zoom
    page.close()


def test_world_picture_has_an_inset_whose_stations_do_not_overlap(browser, tmp_path):
    page = standalone(browser, tmp_path, DATA.stations, (1280, 720), still=True)
    page.wait_for_selector(".aps-inset")
    marks = page.evaluate(
        "() => [...document.querySelectorAll('.aps-inset .aps-mark')].map(e => { const r = e.getBoundingClientRect();"
        " return {l: r.left, t: r.top, r: r.right, b: r.bottom, square: e.classList.contains('aps-country')}; })"
    )
    europe = mapping.REGIONS["Europe"]
    lat, lon = DATA.stations["lat"].astype(float), DATA.stations["lon"].astype(float)
    inside = int(((lat >= europe[0][0]) & (lat <= europe[1][0]) & (lon >= europe[0][1]) & (lon <= europe[1][1])).sum())
    assert len(marks) == inside > 30

    def clash(a, b) -> bool:  # round marks: centres closer than the radii; a square badge: boxes
        if a["square"] or b["square"]:
            return overlaps(a, b)
        d = ((a["l"] + a["r"] - b["l"] - b["r"]) ** 2 + (a["t"] + a["b"] - b["t"] - b["b"]) ** 2) ** 0.5 / 2
        return d < (a["r"] - a["l"] + b["r"] - b["l"]) / 2 - 0.5

    clashes = [(a, b) for i, a in enumerate(marks) for b in marks[i + 1 :] if clash(a, b)]
    assert not clashes, f"{len(clashes)} pairs of stations overlap in the inset"
    inset = rect(page, ".aps-inset")
    main = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-map-pane .aps-mark')].filter(e => !e.closest('.aps-inset'))"
        ".map(e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; })"
    )
    assert not [m for m in main if overlaps(m, inset)], "the inset hides a station of the main map"
    labels = page.evaluate("() => [...document.querySelectorAll('.aps-place')].map(e => e.textContent)")
    assert "Prague 2" in labels or "Milan 2" in labels
    assert page.locator(".leaflet-control-attribution:visible").count() == 0  # no Leaflet badge on pictures
    page.close()


def test_pdf_and_svg_exports_keep_text_and_vectors(tmp_path):
    from pypdf import PdfReader

    overlay = pagetext.overlay_text(DATA.stations, "All stations", DATA.data_date, mapping.OFFLINE, byline="A. Editor")
    html = mapping.standalone_html(DATA.stations, still=True, **overlay)
    pdf = picture.render(html, "pdf", "web")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert overlay["title"] in text and "Graphic: A. Editor" in text and "Europe" in text
    resources = reader.pages[0]["/Resources"]
    images = [x for x in (resources.get("/XObject") or {}).values() if x.get_object().get("/Subtype") == "/Image"]
    assert not images, "the map must be vectors, not a photograph"
    svg = ET.fromstring(picture.render(html, "svg", "web"))
    ns = "{http://www.w3.org/2000/svg}"
    words = " ".join(t.text or "" for t in svg.iter(ns + "text"))
    assert overlay["title"] in words and "Fuzhou \u798f\u5dde (" in words and "Graphic: A. Editor" in words
    shapes = sum(1 for _ in svg.iter(ns + "path")) + sum(1 for _ in svg.iter(ns + "circle"))
    assert shapes > 170 + len(DATA.stations)  # countries plus every station


def test_app_map_has_a_title_and_clean_mode_fills_its_frame(browser, app_url):
    page, _ = open_app(browser, app_url)
    frame = map_frame(page)
    title = page.locator("iframe").first.get_attribute("title")
    assert title == f"Map of {len(DATA.stations)} alleged Chinese police stations abroad"
    assert frame.evaluate("() => window.apsLayer.group._map.getZoom()") <= 3  # fitted to the world
    page.close()
    for width, height in ((1280, 720), (1440, 900), (1920, 1080)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(app_url + "/?clean=1&preset=web")
        frame = map_frame(page)
        frame.wait_for_function("window.apsBasemap > 170")
        page.wait_for_timeout(500)
        box = page.locator("iframe").first.bounding_box()
        assert box["y"] + box["height"] <= height + 1, "clean mode must fit the window"
        assert abs(box["width"] / box["height"] - 16 / 9) < 0.03
        covered = frame.evaluate(
            "() => { const c = document.querySelector('.leaflet-container').getBoundingClientRect();"
            " const s = document.querySelector('.leaflet-overlay-pane svg').getBoundingClientRect();"
            " return s.left <= c.left + 1 && s.top <= c.top + 1"
            " && s.right >= c.right - 1 && s.bottom >= c.bottom - 1; }"
        )
        assert covered, f"the basemap does not cover the frame at {width}x{height}"
        # the legend band and the credit are inside the frame (part of the screenshot)
        foot = frame.evaluate(
            "() => [document.querySelector('.aps-foot').getBoundingClientRect().bottom, window.innerHeight]"
        )
        assert foot[0] <= foot[1] + 1, f"the legend is cut off at {width}x{height}"
        assert frame.locator(".leaflet-control-zoom:visible").count() == 0
        page.close()


def test_phone_layout_folds_the_legend_and_nothing_prints_over_anything(browser, tmp_path):
    page = standalone(browser, tmp_path, DATA.stations, (390, 844))
    assert page.locator(".aps-legend").is_hidden() and page.locator(".aps-legend-toggle").is_visible()
    page.click(".aps-legend-toggle")
    assert page.locator(".aps-legend").is_visible()
    assert page.locator(".aps-legend-toggle").get_attribute("aria-expanded") == "true"
    head, legend, credit = rect(page, ".aps-head"), rect(page, ".aps-legend"), rect(page, ".aps-credit")
    assert not overlaps(legend, credit) and not overlaps(head, legend)
    assert head["r"] <= 390 and credit["r"] <= 390
    page.close()


def test_the_first_click_on_a_half_visible_map_opens_the_station_under_the_pointer(browser, app_url):
    """Leaflet focuses the map on mousedown; that must not scroll the page under the pointer
    (without preventScroll the page scrolled 175 px and the click opened nothing)."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(app_url + "/?country=US")
    frame = map_frame(page)
    page.wait_for_timeout(500)
    iframe = page.locator("iframe").first.bounding_box()
    assert iframe["y"] + iframe["height"] > 720, "the map must run below the fold for this check"
    marks = frame.evaluate(
        "() => [...document.querySelectorAll('.aps-mark')].map(e => e.getBoundingClientRect())"
        ".map(r => [r.left + r.width / 2, r.top + r.height / 2])"
    )
    x, y = max(((iframe["x"] + a, iframe["y"] + b) for a, b in marks if iframe["y"] + b < 705), key=lambda p: p[1])
    main = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"
    scroll = page.evaluate(main)
    page.mouse.click(x, y)
    frame.wait_for_selector(".leaflet-popup", timeout=5000)  # the first click opened the station
    assert page.evaluate(main) == scroll
    page.close()


def test_moving_the_as_of_control_redraws_the_map_of_that_month(browser, app_url):
    page, _ = open_app(browser, app_url)
    frame = map_frame(page)
    total = frame.evaluate("window.apsReady.stations")
    handle = page.get_by_test_id("stSidebar").get_by_role("slider").last
    handle.focus()
    page.keyboard.press("Home")  # the first month: only the earliest reports
    page.wait_for_function(
        "n => [...document.querySelectorAll('iframe')].some(f => f.contentWindow.apsReady && "
        "f.contentWindow.apsReady.stations < n)",
        arg=total,
        timeout=30000,
    )
    frame = map_frame(page)
    assert 0 < frame.evaluate("window.apsReady.stations") < total
    assert "as of" in frame.locator(".aps-subtitle").inner_text()
    assert "asof=" in page.url
    page.close()


def test_a_picture_of_a_past_month_says_so(tmp_path):
    italy = DATA.stations[DATA.stations["country_code"] == "IT"]
    from geo.view import filters as flt

    view = flt.at_month(italy, DATA.events, "2022-10")
    overlay = pagetext.overlay_text(view, "Country: Italy", DATA.data_date, mapping.OFFLINE, as_of="2022-10")
    assert "as of October 2022" in overlay["subtitle"] and "Map as of October 2022." in overlay["credit"]
    svg = picture.render(mapping.standalone_html(view, still=True, **overlay), "svg", "web")
    assert b"as of October 2022" in svg


def test_an_open_spider_does_not_count_its_stations_twice_in_the_label(browser, tmp_path):
    milan = int((DATA.stations["city"] == "Milan").sum())
    page = standalone(browser, tmp_path, DATA.stations, (1440, 900))
    page.evaluate("() => window.apsLayer.group._map.setView([45.46, 9.19], 9, {animate: false})")
    page.wait_for_timeout(400)
    page.locator('.aps-cluster[aria-label^="Milan: "]').click()
    page.keyboard.press("Escape")  # the popup closes, the spider stays open
    page.evaluate("() => window.apsLayer.group._map.fire('moveend')")  # labels are placed again
    page.wait_for_timeout(300)
    labels = page.evaluate("() => [...document.querySelectorAll('.aps-place')].map(e => e.textContent)")
    assert f"Milan {milan}" in labels
    page.close()
