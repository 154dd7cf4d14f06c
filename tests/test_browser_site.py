"""The static reader site, served from a loopback http.server with every other request blocked:
the reader embed's filters work, a view lives in the URL fragment, country pages and data exist."""

from __future__ import annotations

import functools
import http.server
import json
import threading

import pytest

from geo.data.dataset import read_dataset
from geo.view.filters import Filters, view_of
from geo.view.mapping import REGIONS
from geo.view.site import write_site
from tests.browser import ROOT

DATA = read_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    write_site(out)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def offline_page(browser, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    outside = []

    def route(r):
        if r.request.url.startswith("http://127.0.0.1"):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    return page, outside


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_reader_embed_filters_offline_and_keeps_the_view_in_the_fragment(browser, site, size):
    out, url = site
    page, outside = offline_page(browser, size)
    page.goto(url + "/index.html")
    page.wait_for_function("window.apsReady && window.apsReady.stations > 0")
    assert page.evaluate("window.apsReady.stations") == len(DATA.stations)
    assert page.title() and page.evaluate("document.documentElement.lang") == "en"
    assert "user-scalable=no" not in page.content()
    if not page.locator(".aps-reader-form").is_visible():  # folded on a phone
        page.click(".aps-reader summary")
    page.select_option("#aps-r-bureau", "Fuzhou")
    fuzhou = int((DATA.stations["bureau"] == "Fuzhou").sum())
    page.wait_for_function("n => window.apsReady.stations === n", arg=fuzhou)
    assert f"Showing {fuzhou} of {len(DATA.stations)}" in page.inner_text(".aps-r-count")
    assert page.url.endswith("#bureau=Fuzhou")
    page.fill("#aps-r-q", "\u798f\u5dde")  # the bureau in Chinese finds the same stations
    page.wait_for_function("n => window.apsReady.stations === n", arg=fuzhou)
    legend = page.inner_text(".aps-legend")
    assert f"({fuzhou})" in legend and "Qingtian" not in legend
    # a link to a view of the embed reopens it
    page.goto(url + "/index.html#country=IT&status=investigated")
    page.wait_for_function("window.apsReady")
    italy = DATA.stations[(DATA.stations["country_code"] == "IT") & (DATA.stations["status"] == "investigated")]
    page.wait_for_function("n => window.apsReady.stations === n", arg=len(italy))
    assert outside == []
    page.close()


def test_as_of_in_the_embed_rewinds_the_map(browser, site):
    out, url = site
    page, outside = offline_page(browser, (1440, 900))
    page.goto(url + "/index.html#asof=2022-09")
    page.wait_for_function("window.apsReady")
    sep = page.evaluate("window.apsReady.stations")
    assert 0 < sep < len(DATA.stations)
    assert "as of September 2022" in page.inner_text(".aps-subtitle")
    # the Europe inset holds only the stations the reader's filter shows
    (south, west), (north, east) = REGIONS["Europe"]
    then = view_of(DATA.stations, DATA.events, Filters(as_of="2022-09"))
    lat, lon = then["lat"].astype(float), then["lon"].astype(float)
    europe = int(((lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)).sum())
    assert page.inner_text(".aps-inset-cap") == f"Europe \u00b7 {europe} stations"
    page.focus("#aps-r-asof")
    page.keyboard.press("End")  # the latest month: every station
    page.wait_for_function("n => window.apsReady.stations === n", arg=len(DATA.stations))
    assert outside == []
    page.close()


def test_country_pages_data_and_embed_code_are_all_there(browser, site):
    out, url = site
    codes = sorted(DATA.stations["country_code"].unique())
    assert sorted(p.stem.upper() for p in (out / "country").glob("*.html")) == codes
    package = json.loads((out / "data" / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} <= {p.name for p in (out / "data").iterdir()}
    page, outside = offline_page(browser, (1280, 720))
    page.goto(url + "/country/it.html")
    page.wait_for_function("window.apsReady")
    assert page.evaluate("window.apsReady.stations") == int((DATA.stations["country_code"] == "IT").sum())
    page.goto(url + "/embed.html")
    code = page.inner_text("#code")
    assert "<iframe" in code and "index.html" in code and 'title="' in code
    assert outside == []
    page.close()
