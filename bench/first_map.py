"""First map against a minimal Streamlit page, and the rerun after a filter change, in one run.

    python -m bench.first_map [--loads 5]

Serves app.py and bench/minimal_app.py on 127.0.0.1 (one server each), loads each page in the
system chromium `--loads` times, alternating, and measures navigation -> the minimal page's title
shown, and navigation -> the app's markers drawn. Then measures the AppTest rerun after a filter
change (median of 10). Targets: first map within 1.5x the minimal page; rerun <= 50 ms.
Writes bench/results/first_map.md and first_map.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

from tests.browser import ROOT, launch, map_frame, serve_app_process

RESULTS = Path(__file__).resolve().parent / "results"


def first_map(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    start = time.perf_counter()
    page.goto(url)
    map_frame(page, timeout=90)
    took = time.perf_counter() - start
    page.close()
    return took


def minimal(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    start = time.perf_counter()
    page.goto(url)
    page.get_by_text("A minimal Streamlit page").wait_for(timeout=90000)
    took = time.perf_counter() - start
    page.close()
    return took


def rerun_ms(samples: int = 10) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    out = []
    for i in range(samples + 2):
        start = time.perf_counter()
        at.multiselect(key="bureaus").set_value(["Fuzhou"] if i % 2 == 0 else []).run()
        out.append((time.perf_counter() - start) * 1000)
    return out[2:]  # the first two warm caches up


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_map", description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    app_times, min_times = [], []
    with (
        serve_app_process() as (app_url, _),
        serve_app_process(script=ROOT / "bench" / "minimal_app.py") as (
            min_url,
            _,
        ),
        sync_playwright() as p,
    ):
        browser = launch(p)
        first_map(browser, app_url)  # warm both servers once: what a reader meets after the first
        minimal(browser, min_url)
        for _ in range(args.loads):
            app_times.append(first_map(browser, app_url))
            min_times.append(minimal(browser, min_url))
        browser.close()
    reruns = rerun_ms()
    app_med, min_med, rerun_med = statistics.median(app_times), statistics.median(min_times), statistics.median(reruns)
    ratio = app_med / min_med
    result = {
        "when": dt.datetime.now().isoformat(timespec="minutes"),
        "load_average": os.getloadavg(),
        "first_map_s": app_times,
        "minimal_page_s": min_times,
        "ratio": ratio,
        "rerun_ms": reruns,
        "targets": {"ratio <= 1.5": ratio <= 1.5, "rerun <= 50 ms": rerun_med <= 50},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "first_map.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    lines = [
        "# First map and rerun",
        "",
        f"Run {result['when']} with `python -m bench.first_map --loads {args.loads}` (servers warm; load average "
        f"{' '.join(f'{x:.1f}' for x in result['load_average'])}).",
        "",
        "| measure | median | all | target | holds |",
        "|---|---|---|---|---|",
        f"| minimal Streamlit page: navigation -> title shown | {min_med:.2f} s | "
        f"{', '.join(f'{x:.2f}' for x in min_times)} | | |",
        f"| this app: navigation -> markers drawn | {app_med:.2f} s | {', '.join(f'{x:.2f}' for x in app_times)} | | |",
        f"| first map / minimal page | {ratio:.2f}x | | <= 1.5x | {'yes' if ratio <= 1.5 else '**no**'} |",
        f"| AppTest rerun after a filter change | {rerun_med:.1f} ms | {', '.join(f'{x:.0f}' for x in reruns)} | "
        f"<= 50 ms | {'yes' if rerun_med <= 50 else '**no**'} |",
    ]
    (RESULTS / "first_map.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
