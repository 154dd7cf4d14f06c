"""`python -m geo.site OUT/` (or `make site`): a static site for any number of readers.

It writes a folder any static host or CDN serves as is: the reader embed (the standalone map
with its filters) as index.html, one prefiltered page per country, the data (CSV, GeoJSON,
events, the Frictionless datapackage.json) and embed.html with copy-ready iframe code. Nothing
in it calls a server: every script, style and the basemap are inside each page.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from html import escape
from pathlib import Path

from geo.data.build import DATA
from geo.data.dataset import Dataset, read_dataset
from geo.data.schema import DataError
from geo.view import mapping, page
from geo.view.export import to_csv, to_geojson

DATA_FILES = ("stations.csv", "sources.csv", "events.csv", "datapackage.json")
STYLE = (
    "body{font:16px/1.5 system-ui,Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d}"
    "pre{background:#f4f1ea;padding:1rem;overflow-x:auto;white-space:pre-wrap}a{color:#0b57a4}"
    "button{font:inherit;padding:.3rem .8rem}"
)


def map_page(view, ds: Dataset, title: str) -> str:
    overlay = page.overlay_text(view, "", ds.data_date, mapping.OFFLINE, title=title)
    return mapping.standalone_html(view, mapping.OFFLINE, inset=mapping.AUTO, reader=True, **overlay)


def embed_page(ds: Dataset, countries: list[tuple[str, str, int]]) -> str:
    """How a newsroom embeds the map: responsive iframe code to copy, and the country pages."""
    snippet = (
        '<div style="position:relative;width:100%;aspect-ratio:4/3;min-height:420px;max-height:90vh">\n'
        '  <iframe src="https://YOUR-HOST/PATH/index.html#country=IT" title="Map of alleged Chinese police '
        'stations abroad" loading="lazy"\n'
        '    style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe>\n'
        "</div>"
    )
    links = "\n".join(
        f'<li><a href="country/{escape(cc.lower())}.html">{escape(name)}</a> ({n})</li>' for cc, name, n in countries
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Embed the map of alleged Chinese overseas police stations</title><style>{STYLE}</style></head>
<body>
<h1>Embed the map</h1>
<p>Copy this code into your page. Replace <code>YOUR-HOST/PATH</code> with where this folder is served;
the part after <code>#</code> opens a view (<code>country=IT</code>, <code>bureau=Fuzhou</code>,
<code>status=closed</code>, <code>q=Prato</code>, <code>asof=2023-03</code>; combine them with <code>&amp;</code>)
or leave it out for the whole map. The frame keeps a 4:3 shape and fits phones.</p>
<pre id="code">{escape(snippet)}</pre>
<button type="button" id="copy">Copy the code</button> <span id="copied" role="status"></span>
<h2>One page per country</h2><ul>{links}</ul>
<h2>The data</h2>
<ul><li><a href="data/stations-with-sources.csv">Stations with their sources (CSV)</a></li>
<li><a href="data/stations.geojson">Stations (GeoJSON)</a></li>
<li><a href="data/datapackage.json">Frictionless data package</a> with
<a href="data/stations.csv">stations.csv</a>, <a href="data/events.csv">events.csv</a> and
<a href="data/sources.csv">sources.csv</a></li></ul>
<p>{escape(page.SOURCE_LINE)}. Data as of {escape(ds.data_date)}, version {escape(ds.version)}.
China denies that these are police stations.</p>
<script>
document.getElementById('copy').onclick = function () {{
  navigator.clipboard.writeText(document.getElementById('code').textContent).then(function () {{
    document.getElementById('copied').textContent = 'Copied.';
  }}, function () {{ document.getElementById('copied').textContent = 'Select the code and copy it.'; }});
}};
</script>
</body></html>
"""


def write_site(out: Path, data: Path = DATA) -> list[Path]:
    ds = read_dataset(data)
    stations = ds.stations
    out.mkdir(parents=True, exist_ok=True)
    (out / "country").mkdir(exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    written = [out / "index.html"]
    written[0].write_text(map_page(stations, ds, "Alleged Chinese police stations abroad"), encoding="utf-8")
    countries = []
    for cc, rows in stations.groupby("country_code", sort=True):
        name = rows["country"].iloc[0]
        countries.append((cc, name, len(rows)))
        path = out / "country" / f"{cc.lower()}.html"
        path.write_text(map_page(rows, ds, page.default_title(rows)), encoding="utf-8")
        written.append(path)
    countries.sort(key=lambda c: c[1])
    for name in DATA_FILES:
        shutil.copyfile(data / name, out / "data" / name)
        written.append(out / "data" / name)
    (out / "data" / "stations-with-sources.csv").write_bytes(to_csv(stations))
    (out / "data" / "stations.geojson").write_bytes(to_geojson(stations))
    (out / "embed.html").write_text(embed_page(ds, countries), encoding="utf-8")
    written += [out / "data" / "stations-with-sources.csv", out / "data" / "stations.geojson", out / "embed.html"]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.site", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write (created if missing)")
    args = parser.parse_args(argv)
    try:
        written = write_site(args.out)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in written)
    print(f"{len(written)} files, {size / 1e6:.1f} MB, written to {args.out}: serve the folder as it is.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
