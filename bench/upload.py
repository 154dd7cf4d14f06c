"""A 50,000-row, ~5 MB upload: read, reported and mapped without stalling (issue figures).

    python -m bench.upload [--rows 50000]

Makes a journalist-style CSV (names, cities, countries, a category, dates, links; a third of the
rows with coordinates, the rest placed by the offline gazetteer), then measures in this process:
decode + validate + geocode (read_upload), the map payload (station_layer), and the standalone
map drawn in the system chromium; peak Python memory (tracemalloc) and the process's peak RSS.
Writes bench/results/upload.md and upload.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import time
import tracemalloc
from pathlib import Path

from geo.data.build import SEEDS, curated_places
from geo.data.gazetteer import Gazetteer
from geo.data.schema import read_seeds
from geo.upload.read import read_upload
from geo.view import mapping, page
from tests.browser import launch

RESULTS = Path(__file__).resolve().parent / "results"
CITIES = [
    ("Oslo", "Norway"),
    ("Lyon", "France"),
    ("Milan", "Italy"),
    ("Madrid", "Spain"),
    ("Leeds", "United Kingdom"),
    ("Porto", "Portugal"),
    ("Ghent", "Belgium"),
    ("Leiden", "Netherlands"),
    ("Lund", "Sweden"),
    ("Graz", "Austria"),
    ("Dresden", "Germany"),
    ("Krakow", "Poland"),
    ("Toronto", "Canada"),
    ("Houston", "United States"),
    ("Sydney", "Australia"),
    ("Osaka", "Japan"),
    ("Lagos", "Nigeria"),
    ("Lima", "Peru"),
]


def make_csv(rows: int, gazetteer: Gazetteer) -> bytes:
    """Under the 5 MB cap: a third of the rows carry their city's coordinates, the rest only names."""
    codes = {
        "Norway": "NO",
        "France": "FR",
        "Italy": "IT",
        "Spain": "ES",
        "United Kingdom": "GB",
        "Portugal": "PT",
        "Belgium": "BE",
        "Netherlands": "NL",
        "Sweden": "SE",
        "Austria": "AT",
        "Germany": "DE",
        "Poland": "PL",
        "Canada": "CA",
        "United States": "US",
        "Australia": "AU",
        "Japan": "JP",
        "Nigeria": "NG",
        "Peru": "PE",
    }
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Name", "City", "Country", "Category", "Date", "Source URL", "Latitude", "Longitude"])
    for i in range(rows):
        city, country = CITIES[i % len(CITIES)]
        place = gazetteer.lookup(city, codes[country]) if i % 3 == 0 else None
        lat, lon = (f"{place.lat:.4f}", f"{place.lon:.4f}") if place else ("", "")
        date = f"{(i % 28) + 1:02d}/{(i % 12) + 1:02d}/20{i % 20:02d}"
        w.writerow([f"Point {i}", city, country, f"type {i % 9}", date, f"https://example.org/{i}", lat, lon])
    return out.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.upload", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args(argv)
    gazetteer = Gazetteer(curated_places(read_seeds(SEEDS)[2]))
    data = make_csv(args.rows, gazetteer)
    tracemalloc.start()  # memory first (tracemalloc slows Python down), then the times without it
    read_upload(data, "big.csv", gazetteer)
    peak_read_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    start = time.perf_counter()
    result = read_upload(data, "big.csv", gazetteer)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    overlay = page.overlay_text(
        result.stations, "", "your upload", mapping.OFFLINE, sources="big.csv (uploaded)", kind=result.reading
    )
    html = mapping.standalone_html(result.stations, kind=result.reading, **overlay)
    map_s = time.perf_counter() - start
    peak_mb = peak_read_mb
    from playwright.sync_api import sync_playwright

    path = RESULTS / "upload-map.tmp.html"
    RESULTS.mkdir(exist_ok=True)
    path.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = launch(p)
        pg = browser.new_page(viewport={"width": 1440, "height": 900})
        start = time.perf_counter()
        pg.goto(path.as_uri())
        pg.wait_for_function("window.apsReady && window.apsReady.drawn > 0", timeout=120000)
        drawn_s = time.perf_counter() - start
        browser.close()
    path.unlink()
    row = {
        "rows": args.rows,
        "bytes": len(data),
        "reading": result.reading,
        "mapped": len(result.stations),
        "needs_attention": len(result.attention),
        "read_s": round(read_s, 2),
        "map_build_s": round(map_s, 2),
        "html_mb": round(len(html) / 1e6, 1),
        "drawn_in_chromium_s": round(drawn_s, 2),
        "upload_to_drawn_s": round(read_s + map_s + drawn_s, 2),
        "peak_python_mb": round(peak_mb),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    (RESULTS / "upload.json").write_text(json.dumps(row, indent=1) + "\n", encoding="utf-8")
    lines = [
        "# A 50,000-row upload",
        "",
        "`python -m bench.upload`: read_upload, then the map, then chromium draws it.",
        "",
        "| " + " | ".join(row) + " |",
        "|" + "---|" * len(row),
        "| " + " | ".join(str(v) for v in row.values()) + " |",
    ]
    (RESULTS / "upload.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
