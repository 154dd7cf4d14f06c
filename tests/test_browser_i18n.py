"""A picture per language, read back from the page before it is photographed; Chinese drawn with
a font that has the glyphs (no tofu); the app in Italian from a shared link."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image

from geo.data.dataset import read_dataset
from geo.view import filters, i18n, mapping, page
from geo.view.filters import Filters
from tests.browser import ROOT, map_frame, open_app

DS = read_dataset(ROOT / "data")


def picture_html(lang: str, countries: tuple[str, ...] = ()) -> tuple[str, dict]:
    f = Filters(countries=countries)
    view = filters.view_of(DS.stations, DS.events, f)
    shown = i18n.localize(view, lang)
    line = filters.filter_line(f, i18n.localize(DS.stations, lang), lang=lang)
    overlay = page.overlay_text(shown, line, DS.data_date, mapping.OFFLINE, byline="Test Desk", lang=lang)
    return mapping.standalone_html(view, still=True, lang=lang, **overlay), overlay


def drawn(browser, html: str, width: int = 1280, height: int = 720):
    p = browser.new_page(viewport={"width": width, "height": height})
    p.route("**/*", lambda r: r.abort() if r.request.url.startswith(("http:", "https:")) else r.continue_())
    p.set_content(html, wait_until="load")
    p.wait_for_function("window.apsReady && window.apsBasemap !== undefined", timeout=30000)
    p.wait_for_timeout(300)
    return p


@pytest.mark.parametrize("lang", list(i18n.LANGS))
def test_each_language_gets_a_picture_whose_words_are_in_that_language(browser, lang, tmp_path):
    html, overlay = picture_html(lang)
    w = i18n.words(lang)
    assert f'<html lang="{w.tag}">' in html
    p = drawn(browser, html)
    try:
        text = p.locator(".aps-overlay").inner_text()
        for message in ("Founding bureau (as reported):", "Location known to:"):
            assert w.t(message) in text
            if lang != "en":
                assert message not in text
        assert overlay["title"] in text and overlay["subtitle"] in text
        assert w.country("FR", "France") in p.locator(".aps-labels, .leaflet-container").first.inner_text()
        png = p.screenshot(type="png")
    finally:
        p.close()
    image = Image.open(io.BytesIO(png))
    assert image.size == (1280, 720)
    assert len(image.convert("RGB").resize((200, 200)).getcolors(maxcolors=100_000)) > 50


def cjk_families() -> set[str]:
    fc = shutil.which("fc-list")
    assert fc, "fontconfig (fc-list) is needed to check the Chinese fonts; install fontconfig"
    out = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, check=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def test_chinese_pictures_draw_glyphs_not_boxes(browser):
    families = cjk_families()
    assert families, "no font with Chinese glyphs: install fonts-wqy-microhei (make chromium does)"
    html, overlay = picture_html("zh", ("IT",))
    p = drawn(browser, html)
    try:
        title = p.locator(".aps-maptitle")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title.inner_text())
        cdp = p.context.new_cdp_session(p)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        for selector in (".aps-maptitle", ".aps-legend", ".aps-credit"):
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            # the fonts chromium fell back to for this text; every one that drew Chinese must cover it
            assert used, selector
        title_node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".aps-maptitle"})["nodeId"]
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": title_node})["fonts"]
        assert {f["familyName"] for f in used} & families, used
        # and the glyphs differ from a missing-glyph box: 中 and 国 drawn in the page's font are not
        # the same picture (tofu boxes for two characters are identical)
        same = p.evaluate(
            """() => {
              const font = getComputedStyle(document.querySelector('.aps-maptitle')).font;
              const draw = ch => { const c = document.createElement('canvas'); c.width = 64; c.height = 64;
                const x = c.getContext('2d'); x.font = font.replace(/\\d+px/, '48px'); x.fillText(ch, 4, 52);
                return c.toDataURL(); };
              return [draw('\\u4e2d') === draw('\\u56fd'), draw('\\u4e2d') === draw('\\ue000')];
            }"""
        )
        assert same == [False, False]
    finally:
        p.close()


def test_the_app_opens_in_italian_from_a_shared_link_and_keeps_the_language(browser, app_url):
    w = i18n.words("it")
    page_, outside = open_app(browser, app_url + "/?lang=it&country=IT")
    try:
        frame = map_frame(page_)
        page_.get_by_role("heading", name=w.t("Filters")).wait_for(timeout=20000)
        assert w.t("Founding bureau (as reported):") in frame.locator(".aps-overlay").inner_text()
        assert "Italia" in frame.locator(".aps-maptitle").inner_text()
        page_.wait_for_function("location.search.includes('lang=it')", timeout=10000)
        assert page_.get_by_role("tab", name=w.t("What changed")).count() == 1
        # the (longer) Italian credit line is not under Leaflet's own credit
        overlap = frame.evaluate(
            """() => {
              const a = document.querySelector('.leaflet-control-attribution').getBoundingClientRect();
              const c = document.querySelector('.aps-credit').getBoundingClientRect();
              return !(a.right <= c.left || c.right <= a.left || a.bottom <= c.top || c.bottom <= a.top);
            }"""
        )
        assert overlap is False
        assert outside == []
    finally:
        page_.close()


def test_a_chinese_svg_wraps_its_credit_inside_the_picture(browser):
    """Chinese has no spaces to break at: each line of the SVG's credit still ends inside the frame."""
    from geo.view import picture

    html, overlay = picture_html("zh")
    svg = picture.render(html, "svg", "web", 2).decode("utf-8")
    p = browser.new_page(viewport={"width": 1400, "height": 800})
    try:
        p.set_content(f"<!DOCTYPE html><html><body style='margin:0'>{svg}</body></html>")
        boxes = p.evaluate(
            """() => {
              const svg = document.querySelector('svg');
              const width = svg.viewBox.baseVal.width || svg.width.baseVal.value;
              return {width, right: Array.from(svg.querySelectorAll('text')).map(t => {
                const b = t.getBBox(); return [t.textContent, b.x + b.width]; })};
            }"""
        )
    finally:
        p.close()
    credit = [(text, right) for text, right in boxes["right"] if text and text in overlay["credit"]]
    assert len(credit) >= 2  # it wraps
    assert "".join(t for t, _ in credit).replace(" ", "") == overlay["credit"].replace(" ", "")
    assert all(right <= boxes["width"] + 1 for _, right in credit), credit


def test_the_reader_embed_in_italian_finds_places_by_either_name(browser, tiny):
    view = tiny.stations  # no note names a place, so only the names can match
    shown = i18n.localize(view, "it")
    assert set(shown.loc[view["city"] == "Milan", "city"]) == {"Milano"}
    overlay = page.overlay_text(shown, "", "2026-12-01", mapping.OFFLINE, lang="it")
    html = mapping.standalone_html(view, reader=True, lang="it", **overlay)
    p = drawn(browser, html)
    try:
        for query, n in (("Milano", 2), ("Milan", 2), ("Sicilia", 1), ("Sicily", 1), ("Paesi Bassi", 1)):
            p.fill("#aps-r-q", query)
            p.wait_for_function("n => window.apsReady.stations === n", arg=n, timeout=10000)
    finally:
        p.close()
