"""`python -m bench.load --sessions 1,5,10,20 [--n 10000]`: concurrent readers against one app.

Starts `streamlit run app.py` on 127.0.0.1, then for each session count opens that many browser
contexts at once in one chromium (each is a separate Streamlit session), and in each loads the
map and changes a filter. Reports errors, the median and 95th percentile of the time to a drawn
map and to the redraw, and the server's memory (RSS from /proc) per open session. Loopback only:
any request that would leave 127.0.0.1 is aborted. Every wait has a deadline; it stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.browser import serve_app_process

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
MAX_SESSIONS = 50
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def serve(env: dict | None = None):
    return serve_app_process(env, start_timeout=120)


def cpu_s(pid: int) -> float:
    """CPU seconds the process has used (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def wait_drawn(page, deadline: float, want: int | None = None):
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                ready = await frame.evaluate("window.apsReady || null")
            except Exception:  # a frame navigating away mid-check
                continue
            if ready and (want is None or ready["stations"] == want):
                return frame
        await asyncio.sleep(0.05)
    raise TimeoutError("the map was not drawn in time")


async def one_session(
    browser, url: str, bureau: str, expected: int, timeout: float, hold: asyncio.Event, arrived: list | None = None
) -> dict:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        await context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort()
        )
        page = await context.new_page()
        deadline = time.monotonic() + timeout
        t0 = time.monotonic()
        await page.goto(url, timeout=timeout * 1000)
        frame = await wait_drawn(page, deadline)
        drawn = time.monotonic() - t0
        await frame.evaluate("window.apsReady = null")
        box = page.get_by_test_id("stMultiSelect").filter(has_text="Founding bureau").locator("input")
        await box.click(timeout=timeout * 1000)
        await box.fill(bureau)
        t1 = time.monotonic()
        await page.keyboard.press("Enter")
        await wait_drawn(page, deadline, want=expected)
        result = {"drawn": drawn, "redraw": time.monotonic() - t1}
        if arrived is not None:
            arrived.append(1)
        await asyncio.wait_for(hold.wait(), timeout)  # stay connected until every session is done
        return result
    finally:
        await context.close()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


async def run_round(browser, url: str, pid: int, sessions: int, bureau: str, expected: int, timeout: float) -> dict:
    before = peak = rss_mb(pid)
    cpu0, wall0 = cpu_s(pid), time.monotonic()
    hold, arrived = asyncio.Event(), []
    tasks = [
        asyncio.create_task(one_session(browser, url, bureau, expected, timeout, hold, arrived))
        for _ in range(sessions)
    ]
    deadline = time.monotonic() + timeout + 30
    # Every session has drawn and redrawn (or failed): measure the server with them all connected.
    while time.monotonic() < deadline and len(arrived) + sum(t.done() for t in tasks) < sessions:
        peak = max(peak, rss_mb(pid))
        await asyncio.sleep(0.25)
    held = rss_mb(pid)
    peak = max(peak, held)
    server_cpu, wall = cpu_s(pid) - cpu0, time.monotonic() - wall0
    hold.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    ok = [r for r in results if isinstance(r, dict)]
    errors = [
        f"{type(r).__name__}: {str(r).splitlines()[0][:160] if str(r) else ''}"
        for r in results
        if not isinstance(r, dict)
    ]
    drawn = [r["drawn"] for r in ok]
    redraw = [r["redraw"] for r in ok]
    return {
        "sessions": sessions,
        "ok": len(ok),
        "errors": errors,
        "drawn_median": statistics.median(drawn) if drawn else None,
        "drawn_p95": p95(drawn) if drawn else None,
        "redraw_median": statistics.median(redraw) if redraw else None,
        "redraw_p95": p95(redraw) if redraw else None,
        "rss_before": before,
        "rss_held": held,
        "rss_peak": peak,
        "server_cpu_s": server_cpu,
        "wall_s": wall,
        "mb_per_session": (held - before) / sessions,
    }


async def main_async(args) -> list[dict]:
    from playwright.async_api import async_playwright

    from geo.data.dataset import read_dataset
    from tests.browser import CHROMIUM_FLAGS, chromium_path

    env, data = {}, ROOT / "data"
    tmp = None
    if args.n:
        from bench import synth
        from geo.data.build import curated_places, geocode_stations, read_all
        from geo.data.gazetteer import Gazetteer
        from geo.data.history import derive

        tmp = tempfile.TemporaryDirectory(prefix="aps-load-")
        seeds = synth.make_seeds(args.n, Path(tmp.name) / "seeds")
        stations, sources, places, events = read_all(seeds)
        located = geocode_stations(derive(stations, events, sources), Gazetteer(curated_places(places)))
        data = synth.write_data(located, sources, Path(tmp.name) / "data")
        env["APS_DATA_DIR"] = str(data)
    df = read_dataset(data).stations
    expected = int((df["bureau"] == args.bureau).sum())
    rounds = []
    try:
        with serve(env) as (url, proc):
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
                try:
                    hold = asyncio.Event()
                    hold.set()
                    await one_session(browser, url, args.bureau, expected, args.timeout, hold)  # warm the cache
                    for n in args.sessions:
                        await asyncio.sleep(2)  # let the previous round's sessions go
                        r = await run_round(browser, url, proc.pid, n, args.bureau, expected, args.timeout)
                        rounds.append(r)
                        print(
                            f"{n:>3} sessions: {r['ok']} ok, {len(r['errors'])} errors; drawn median "
                            f"{_f(r['drawn_median'])} s, p95 {_f(r['drawn_p95'])} s; redraw median "
                            f"{_f(r['redraw_median'])} s, p95 {_f(r['redraw_p95'])} s; server RSS "
                            f"{r['rss_before']:.0f} -> {r['rss_held']:.0f} MB (peak {r['rss_peak']:.0f}), "
                            f"{r['mb_per_session']:.1f} MB a session; the server used {r['server_cpu_s']:.1f} s "
                            f"of CPU in {r['wall_s']:.0f} s",
                            flush=True,
                        )
                        for e in r["errors"][:3]:
                            print("    error:", e, flush=True)
                finally:
                    await browser.close()
    finally:
        if tmp is not None:
            tmp.cleanup()
    return rounds


def _f(v) -> str:
    return "-" if v is None else f"{v:.2f}"


def write(rounds: list[dict], args) -> Path:
    data = f"synthetic, {args.n:,} stations" if args.n else "the project's data/"
    lines = [
        "# Load test",
        "",
        f"`python -m bench.load --sessions {','.join(map(str, args.sessions))}"
        f"{f' --n {args.n}' if args.n else ''}` on {time.strftime('%Y-%m-%d %H:%M')}, data: {data}; "
        f"{os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end. "
        "All sessions are browser contexts in one headless chromium on the same machine as the server, "
        "so the browser's work competes with the server's for the same cores.",
        "",
        "| sessions | ok | errors | drawn median s | drawn p95 s | redraw median s | redraw p95 s | "
        "server RSS before / with all open / peak MB | MB a session | server CPU s / round wall s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rounds:
        lines.append(
            f"| {r['sessions']} | {r['ok']} | {len(r['errors'])} | {_f(r['drawn_median'])} | "
            f"{_f(r['drawn_p95'])} | {_f(r['redraw_median'])} | {_f(r['redraw_p95'])} | "
            f"{r['rss_before']:.0f} / {r['rss_held']:.0f} / {r['rss_peak']:.0f} | {r['mb_per_session']:.1f} | "
            f"{r['server_cpu_s']:.1f} / {r['wall_s']:.0f} |"
        )
    errors = [f"- {r['sessions']} sessions: {e}" for r in rounds for e in r["errors"]]
    if errors:
        lines += ["", "Errors:", "", *errors[:40]]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "load.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", default="1,5,10,20", help="comma-separated concurrent session counts")
    parser.add_argument("--n", type=int, default=0, help="synthetic stations instead of the project's data/")
    parser.add_argument("--bureau", default="Fuzhou", help="the filter each session applies")
    parser.add_argument("--timeout", type=float, default=180, help="seconds a session may take")
    args = parser.parse_args(argv)
    args.sessions = [int(s) for s in args.sessions.split(",") if s.strip()]
    if any(s < 1 or s > MAX_SESSIONS for s in args.sessions):
        parser.error(f"session counts must be between 1 and {MAX_SESSIONS}")
    rounds = asyncio.run(main_async(args))
    print(f"wrote {write(rounds, args)}")
    return 0 if all(not r["errors"] for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
