"""Load: N concurrent reader sessions against the app on 127.0.0.1 (never another host).

`python -m bench.load_sessions --sessions 1,5,10,20`

Each session is a fresh Chromium context that opens the app, waits for the map to draw its
stations, then picks a country in the sidebar and waits for the redraw. Reports errors, median
and p95 time to a drawn map and to the redraw, and the server's memory per session (RSS growth
of the streamlit process, read from /proc). Bounded: one round per N, a time limit per session.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from tests.browser import CHROMIUM_FLAGS, chromium_path, serve_app

DRAWN = "() => [...document.querySelectorAll('iframe')].some(f => { try { return f.contentWindow.apsReady " \
        "&& f.contentWindow.apsReady.stations === %s; } catch (e) { return false; } })"
ANY_DRAWN = "() => [...document.querySelectorAll('iframe')].some(f => { try { return !!f.contentWindow.apsReady; } " \
            "catch (e) { return false; } })"


def rss_kb(pid: int) -> int:
    """Resident memory of the server and its children, in kB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(status.parent.name) == pid or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


async def one_session(browser, url: str, italy: int, limit_s: float) -> tuple[float, float]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=limit_s * 1000)
        await page.wait_for_function(ANY_DRAWN, timeout=limit_s * 1000)
        drawn = time.perf_counter() - start
        box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.locator("input")
        start = time.perf_counter()
        await box.click()
        await box.fill("Italy")
        await page.keyboard.press("Enter")
        await page.wait_for_function(DRAWN % italy, timeout=limit_s * 1000)
        return drawn, time.perf_counter() - start
    finally:
        await context.close()


async def round_of(n: int, url: str, italy: int, pid: int, limit_s: float) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        before = rss_kb(pid)
        results = await asyncio.gather(*(one_session(browser, url, italy, limit_s) for _ in range(n)),
                                       return_exceptions=True)
        after = rss_kb(pid)
        await browser.close()
    ok = [r for r in results if not isinstance(r, BaseException)]
    errors = [f"{type(r).__name__}: {str(r).splitlines()[0][:120]}" for r in results if isinstance(r, BaseException)]

    def pct(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    draws, redraws = [d for d, _ in ok], [r for _, r in ok]
    return {"sessions": n, "errors": len(errors), "error_kinds": sorted(set(errors)),
            "drawn_median_s": statistics.median(draws) if draws else float("nan"),
            "drawn_p95_s": pct(draws, 0.95),
            "redraw_median_s": statistics.median(redraws) if redraws else float("nan"),
            "redraw_p95_s": pct(redraws, 0.95),
            "server_mb_per_session": (after - before) / 1024 / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10,20")
    parser.add_argument("--limit", type=float, default=120, help="seconds a session may take")
    args = parser.parse_args()
    import pandas as pd

    stations = pd.read_csv(Path(__file__).resolve().parent.parent / "data" / "stations.csv", dtype=str,
                           keep_default_na=False)
    italy = int((stations["country_code"] == "IT").sum())
    rows = []
    with serve_app() as url:
        import urllib.request  # warm the server once (gazetteer, data) so round 1 is not all start-up
        urllib.request.urlopen(url, timeout=30).read()
        pid = server_pid(url)
        for n in [int(x) for x in args.sessions.split(",")]:
            row = asyncio.run(round_of(n, url, italy, pid, args.limit))
            rows.append(row)
            print(f"N={n:>3}  errors={row['errors']}  drawn median {row['drawn_median_s']:.2f} s  "
                  f"p95 {row['drawn_p95_s']:.2f} s  redraw median {row['redraw_median_s']:.2f} s  "
                  f"p95 {row['redraw_p95_s']:.2f} s  server +{row['server_mb_per_session']:.1f} MB/session"
                  + (f"  {row['error_kinds']}" if row["errors"] else ""), flush=True)
    print("\n| sessions | errors | drawn median (s) | drawn p95 (s) | redraw median (s) | redraw p95 (s) "
          "| server MB per session |\n|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['sessions']} | {r['errors']} | {r['drawn_median_s']:.2f} | {r['drawn_p95_s']:.2f} | "
              f"{r['redraw_median_s']:.2f} | {r['redraw_p95_s']:.2f} | {r['server_mb_per_session']:.1f} |")


def server_pid(url: str) -> int:
    """The streamlit process listening on the URL's port (started by serve_app)."""
    port = url.rsplit(":", 1)[1]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and port.encode() in args:
            return int(cmdline.parent.name)
    raise RuntimeError("server process not found")


if __name__ == "__main__":
    main()
