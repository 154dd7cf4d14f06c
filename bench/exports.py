"""Time and size of each picture export (PNG, PDF, SVG) for the world and Italy views.

    python -m bench.exports

Renders the still standalone map in the system chromium, as the app's Export tab does, and
writes bench/results/exports.md and exports.json.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from geo.data.dataset import read_dataset
from geo.view import mapping, page, picture
from tests.browser import ROOT

RESULTS = Path(__file__).resolve().parent / "results"
CASES = [("world", None, "web"), ("world", None, "portrait"), ("Italy", "IT", "web"), ("Italy", "IT", "portrait")]


def main() -> int:
    ds = read_dataset(ROOT / "data")
    rows = []
    for name, cc, preset in CASES:
        view = ds.stations if cc is None else ds.stations[ds.stations["country_code"] == cc]
        overlay = page.overlay_text(
            view, "All stations" if cc is None else f"Country: {name}", ds.data_date, mapping.OFFLINE
        )
        html = mapping.standalone_html(view, still=True, **overlay)
        for fmt in picture.FORMATS:
            start = time.perf_counter()
            made = picture.render(html, fmt, preset, 2)
            rows.append(
                {
                    "view": name,
                    "preset": preset,
                    "format": fmt,
                    "seconds": round(time.perf_counter() - start, 2),
                    "kB": round(len(made) / 1000),
                }
            )
            print(rows[-1])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "exports.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    lines = [
        "# Picture exports",
        "",
        "`python -m bench.exports`: the still map rendered in the system chromium, "
        "scale 2x (PNG pixels = 2x the preset).",
        "",
        "| view | preset | format | seconds | kB |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r['view']} | {r['preset']} | {r['format']} | {r['seconds']} | {r['kB']} |" for r in rows]
    (RESULTS / "exports.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
