"""Print-grade PNGs of the filtered map, rendered server-side in the system Chromium.

The picture is the standalone HTML export photographed by a headless browser, so it carries
exactly what the interactive map shows: title, filters line, legend with counts, credit, date.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from geo.view.i18n import N_

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
NO_BROWSER = N_(
    "PNG export needs Chromium or Chrome on the server. On Debian/Ubuntu: "
    "`sudo apt-get install chromium`; elsewhere install Chrome and set the CHROMIUM "
    "environment variable to its path. Until then, use your system's screenshot tool in "
    "clean mode, or download the standalone HTML map."
)


@dataclass(frozen=True)
class Preset:
    label: str
    width: int  # CSS pixels; the PNG is width*scale by height*scale
    height: int


PRESETS = {
    "web": Preset(N_("16:9 web"), 1280, 720),
    "square": Preset(N_("1:1 social"), 1080, 1080),
    "portrait": Preset(N_("4:5 social"), 1080, 1350),
    "a4": Preset(N_("A4 landscape, print"), 1123, 794),  # 297 x 210 mm at 96 CSS px per inch
}
SCALES = (2, 3)


def chromium_path() -> str | None:
    """The system browser, or None. Never a downloaded one."""
    found = (
        os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    return found if found and os.access(found, os.X_OK) else None


class PictureError(RuntimeError):
    """A PNG could not be made; the message says why and what to do instead."""


FORMATS = {"png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml"}


def render_png(html: str, preset: str = "web", scale: int = 2, timeout_s: float = 30, online: bool = False) -> bytes:
    """Photograph a standalone map page at the preset's size and scale."""
    return render(html, "png", preset, scale, timeout_s, online)


def render(
    html: str, fmt: str = "png", preset: str = "web", scale: int = 2, timeout_s: float = 30, online: bool = False
) -> bytes:
    """The standalone map as a PNG (photographed), a PDF (printed: vectors and real text) or an
    SVG (the drawn map serialised by geo/assets/svg.js: paths and <text>)."""
    if preset not in PRESETS or scale not in SCALES or fmt not in FORMATS:
        raise PictureError(f"unknown format {fmt!r}, preset {preset!r} or scale {scale!r}")
    browser_path = chromium_path()
    if not browser_path:
        raise PictureError(NO_BROWSER)
    # Playwright's sync API refuses to run where an asyncio loop already runs (a server, a
    # notebook, another Playwright): a worker thread of its own has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        job = pool.submit(_photograph, html, PRESETS[preset], scale, timeout_s, online, browser_path, fmt)
        return job.result()


def _photograph(
    html: str, size: Preset, scale: int, timeout_s: float, online: bool, browser_path: str, fmt: str = "png"
) -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_FLAGS)
            try:
                page = browser.new_page(
                    viewport={"width": size.width, "height": size.height}, device_scale_factor=scale
                )
                if not online:  # the offline basemap needs nothing from outside: forbid it
                    page.route(
                        "**/*",
                        lambda route: (
                            route.abort() if route.request.url.startswith(("http:", "https:")) else route.continue_()
                        ),
                    )
                page.set_content(html, wait_until="load", timeout=timeout_s * 1000)
                page.wait_for_function("window.apsReady && window.apsBasemap !== undefined", timeout=timeout_s * 1000)
                if online:
                    page.wait_for_load_state("networkidle", timeout=timeout_s * 1000)
                page.wait_for_timeout(400)  # let fitBounds and cluster animations settle
                if fmt == "svg":
                    return page.evaluate("window.apsToSVG()").encode("utf-8")
                if fmt == "pdf":
                    # The page keeps its exact size when printed, so the map is not laid out again.
                    page.add_style_tag(
                        content=f"@page {{ size: {size.width}px {size.height}px; margin: 0 }} "
                        f"html, body {{ width: {size.width}px; height: {size.height}px; overflow: hidden }}"
                    )
                    page.emulate_media(media="screen")
                    return page.pdf(
                        width=f"{size.width}px", height=f"{size.height}px", print_background=True, page_ranges="1"
                    )
                return page.screenshot(type="png", full_page=False)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise PictureError(f"the browser could not draw the map ({str(exc).splitlines()[0]})") from None
