"""Helpers for tests in a real browser: Debian's chromium driven by Playwright, all on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from geo.view import picture
from geo.view.picture import CHROMIUM_FLAGS


def chromium_path() -> str:
    """The system browser; tests fail (not skip) without it, so CI cannot pass by skipping."""
    path = picture.chromium_path()
    if not path:
        raise RuntimeError(
            "No chromium found: install it (Debian: apt-get install -y chromium) "
            "or set CHROMIUM to a Chrome/Chromium executable"
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(env: dict | None = None):
    """`streamlit run app.py` on 127.0.0.1; yields its URL once /_stcore/health answers."""
    with serve_app_process(env) as (url, _proc):
        yield url


@contextmanager
def serve_app_process(env: dict | None = None, start_timeout: float = 60, script: Path | None = None):
    """As serve_app, yielding (url, process) for callers that measure the server (or another script)."""
    port = free_port()
    log = tempfile.TemporaryFile()  # not a pipe: an unread pipe fills up and stalls the server
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script or ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("streamlit did not start: " + log.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)


def map_frame(page, timeout: float = 45):
    """The frame that drew the stations (the app's map iframe), once it has drawn."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("window.apsReady ? window.apsReady.drawn : -1") >= 0:
                    return frame
            except Exception:  # a frame navigating away mid-check
                pass
        page.wait_for_timeout(200)
    raise AssertionError("the map never drew its stations")


def open_app(browser, url, context=None):
    """A page on the app, recording any request that leaves the machine."""
    page = (
        (context or browser).new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        if context is None
        else context.new_page()
    )
    outside: list[str] = []
    local = ("http://127.0.0.1", "data:", "blob:", "about:", "file:")
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(local) else None)
    page.goto(url)
    return page, outside


def open_lone_popup(frame):
    """Click, for real, a marker standing on its own (not inside a cluster); return the popup."""
    frame.wait_for_function(
        """() => {
        const alone = window.apsLayer.markers.filter(m => m._map && m.getElement());
        if (alone.length) { alone[0].getElement().classList.add('aps-test-target'); }
        return alone.length > 0;
    }""",
        timeout=20000,
    )
    frame.locator(".aps-test-target").click(force=True)
    return frame.wait_for_selector(".aps-popup")


def download(browser, url: str, button: str, folder: Path, tab: str = "Export & share") -> Path:
    """Open the app at url, press a download button in a tab, return the saved file."""
    page, _ = open_app(browser, url)
    map_frame(page)
    page.get_by_role("tab", name=tab).click()
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name=button).click(timeout=60000)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path
