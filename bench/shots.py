"""Screenshots to look at before shipping: the app, a popup and clean mode at the three
viewports the house checks (1440x900, 1280x720, 390x844), in the system chromium.

    python -m bench.shots OUT_DIR [--url URL] [--query "country=IT"]

Without --url it serves the app on 127.0.0.1 itself. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.browser import launch, map_frame, serve_app

VIEWPORTS = {"1440x900": (1440, 900), "1280x720": (1280, 720), "390x844": (390, 844)}


def shoot(url: str, out: Path, query: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made = []
    with sync_playwright() as p:
        browser = launch(p)
        for name, (w, h) in VIEWPORTS.items():
            for mode, q in (("app", query), ("clean", "&".join(x for x in (query, "clean=1") if x))):
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(f"{url}/?{q}")
                frame = map_frame(page, timeout=90)
                page.wait_for_timeout(800)
                made.append(out / f"{mode}-{name}.png")
                page.screenshot(path=str(made[-1]))
                if mode == "app":
                    opened = frame.evaluate(
                        """() => { const L_ = window.apsLayer;
                        L_.open(L_.markers.findIndex(m => m.stationId === 'us-new-york-fuzhou')); return true; }"""
                    )
                    if opened:
                        page.wait_for_timeout(600)
                        made.append(out / f"popup-{name}.png")
                        page.screenshot(path=str(made[-1]))
                page.close()
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/?{query}")
        map_frame(page, timeout=90)
        for tab in ("What changed", "Counts & time", "Methodology"):
            page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(1200)
            page.get_by_role("tab", name=tab).scroll_into_view_if_needed()
            made.append(out / f"tab-{tab.split()[0].lower()}-1440x900.png")
            page.screenshot(path=str(made[-1]))
        page.close()
        browser.close()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--url")
    parser.add_argument("--query", default="")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.url:
        made = shoot(args.url, args.out, args.query)
    else:
        with serve_app() as url:
            made = shoot(url, args.out, args.query)
    print("\n".join(str(p) for p in made))


if __name__ == "__main__":
    main()
