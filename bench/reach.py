"""How far a reader is from every station: clicks to reach each station of a shared place from
the world view, keyboard presses from the map's first stop to a source link, and the tallest
popup against the map's height. Prints a table; measured in the system chromium.

    python -m bench.reach
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from geo.data.dataset import read_dataset
from geo.view import mapping
from geo.view import page as pagetext
from tests.browser import ROOT, launch

PLACES = ("Prato", "Milan", "Rome")
# The station's icon if it is on the map, else the cluster that holds it: what a reader clicks next.
NEXT_TARGET = """id => { const L_ = window.apsLayer, m = L_.markers.find(x => x.stationId === id);
  const icon = m._icon || (L_.group.getVisibleParent(m) || {})._icon;
  if (!icon) return null; const r = icon.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2]; }"""


def open_map(browser, html: Path, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(html.as_uri())
    page.wait_for_function("window.apsReady && window.apsReady.drawn > 0")
    page.wait_for_timeout(300)
    return page


def clicks_to(page, place: str, ids: list[str]) -> list[int]:
    """Actions for each station of a place, from the world view: clicks to the first, then 'next'."""
    actions, first = 0, ids[0]
    for _ in range(12):
        if page.locator(".aps-count, .leaflet-popup").count():
            break
        target = page.evaluate(NEXT_TARGET, first)
        page.mouse.click(*target)
        actions += 1
        page.wait_for_timeout(700)
    counts = [actions]
    for _ in ids[1:]:
        page.click(".aps-next")
        page.wait_for_timeout(150)
        counts.append(1)
    return counts


def keys_to_source(page, place: str) -> int:
    presses = 0
    page.locator(".folium-map").focus()
    for _ in range(200):
        label = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
        tag = page.evaluate("() => document.activeElement.tagName")
        if tag == "A":
            return presses
        if label.startswith(place + ": ") or (place in label.split(":")[0] and " area" in label):
            page.keyboard.press("Enter")
            page.wait_for_timeout(700)
            if page.locator(".aps-count").count():
                page.keyboard.press("Tab")
                presses += 2
                continue
            presses += 1
            continue
        page.keyboard.press("Tab")
        presses += 1
    return -1


def main() -> None:
    ds = read_dataset(ROOT / "data")
    overlay = pagetext.overlay_text(ds.stations, "All stations", ds.data_date, mapping.OFFLINE)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        html = Path(tmp) / "map.html"
        html.write_text(mapping.standalone_html(ds.stations, **overlay), encoding="utf-8")
        browser = launch(p)
        print("| place | stations | actions per station from the world view (1440x900) |")
        print("|---|---|---|")
        for place in PLACES:
            ids = sorted(ds.stations.loc[ds.stations["city"] == place, "station_id"])
            page = open_map(browser, html, (1440, 900))
            print(f"| {place} | {len(ids)} | {clicks_to(page, place, ids)} |")
            page.close()
        page = open_map(browser, html, (1440, 900))
        print(f"\nkeyboard presses from the map's first stop to a Prato source link: {keys_to_source(page, 'Prato')}")
        page.close()
        for size in ((1440, 900), (390, 844)):
            page = open_map(browser, html, size)
            tallest = 0
            for i in range(len(ds.stations)):
                page.evaluate("i => window.apsLayer.open(i)", i)
                page.wait_for_timeout(30)
                tallest = max(
                    tallest,
                    page.evaluate("() => document.querySelector('.leaflet-popup').getBoundingClientRect().height"),
                )
            print(f"tallest popup at {size[0]}x{size[1]}: {tallest:.0f} px in a {size[1]} px map")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
