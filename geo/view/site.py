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
from geo.view.i18n import DEFAULT, LANGS, N_, localize, words

DATA_FILES = ("stations.csv", "sources.csv", "events.csv", "datapackage.json")
STYLE = (
    "body{font:16px/1.5 system-ui,Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d}"
    "pre{background:#f4f1ea;padding:1rem;overflow-x:auto;white-space:pre-wrap}a{color:#0b57a4}"
    "button{font:inherit;padding:.3rem .8rem}"
)


def map_page(view, ds: Dataset, title: str, lang: str = "en") -> str:
    shown = localize(view, lang)
    overlay = page.overlay_text(shown, "", ds.data_date, mapping.OFFLINE, title=title, lang=lang)
    return mapping.standalone_html(view, mapping.OFFLINE, inset=mapping.AUTO, reader=True, lang=lang, **overlay)


EMBED_HELP = N_(
    "Copy this code into your page. Replace {host} with where this folder is served; the part after {hash} "
    "opens a view ({examples}; combine them with {amp}) or leave it out for the whole map. The frame keeps a "
    "4:3 shape and fits phones."
)


def embed_page(ds: Dataset, countries: list[tuple[str, str, int]], lang: str = "en") -> str:
    """How a newsroom embeds the map: responsive iframe code to copy, and the country pages."""
    w = words(lang)
    frame_title = w.t(N_("Map of alleged Chinese police stations abroad"))
    snippet = (
        '<div style="position:relative;width:100%;aspect-ratio:4/3;min-height:420px;max-height:90vh">\n'
        f'  <iframe src="https://YOUR-HOST/PATH/index.html#country=IT" title="{escape(frame_title)}" loading="lazy"\n'
        '    style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe>\n'
        "</div>"
    )
    links = "\n".join(
        f'<li><a href="country/{escape(cc.lower())}.html">{escape(name)}</a> ({w.number(n)})</li>'
        for cc, name, n in countries
    )
    examples = ", ".join(
        f"<code>{x}</code>" for x in ("country=IT", "bureau=Fuzhou", "status=closed", "q=Prato", "asof=2023-03")
    )
    help_text = escape(w.t(EMBED_HELP)).format(
        host="<code>YOUR-HOST/PATH</code>", hash="<code>#</code>", examples=examples, amp="<code>&amp;</code>"
    )
    t = {k: escape(w.t(v)) for k, v in EMBED_WORDS.items()}
    fallback = mapping.js_json(w.t(N_("Select the code and copy it.")))
    copied = mapping.js_json(w.t(N_("Copied.")))
    version = escape(w.t(N_("Data as of {date}, version {version}.")).format(date=ds.data_date, version=ds.version))
    return f"""<!DOCTYPE html>
<html lang="{escape(w.tag)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t["title"]}</title><style>{STYLE}</style></head>
<body>
<h1>{t["h1"]}</h1>
<p>{help_text}</p>
<pre id="code">{escape(snippet)}</pre>
<button type="button" id="copy">{t["copy"]}</button> <span id="copied" role="status"></span>
<h2>{t["countries"]}</h2><ul>{links}</ul>
<h2>{t["data"]}</h2>
<ul><li><a href="data/stations-with-sources.csv">{t["csv"]}</a></li>
<li><a href="data/stations.geojson">{t["geojson"]}</a></li>
<li><a href="data/datapackage.json">{t["package"]}</a>:
<a href="data/stations.csv">stations.csv</a>, <a href="data/events.csv">events.csv</a>,
<a href="data/sources.csv">sources.csv</a></li></ul>
<p>{escape(w.t(page.SOURCE_LINE))}. {version} {t["denies"]}</p>
<script>
document.getElementById('copy').onclick = function () {{
  navigator.clipboard.writeText(document.getElementById('code').textContent).then(function () {{
    document.getElementById('copied').textContent = {copied};
  }}, function () {{ document.getElementById('copied').textContent = {fallback}; }});
}};
</script>
</body></html>
"""


EMBED_WORDS = {
    "title": N_("Embed the map of alleged Chinese overseas police stations"),
    "h1": N_("Embed the map"),
    "copy": N_("Copy the code"),
    "countries": N_("One page per country"),
    "data": N_("The data"),
    "csv": N_("Stations with their sources (CSV)"),
    "geojson": N_("Stations (GeoJSON)"),
    "package": N_("Frictionless data package"),
    "denies": N_("China denies that these are police stations."),
}


def write_site(out: Path, data: Path = DATA, lang: str = "en") -> list[Path]:
    ds = read_dataset(data)
    stations = ds.stations
    w = words(lang)
    out.mkdir(parents=True, exist_ok=True)
    (out / "country").mkdir(exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    written = [out / "index.html"]
    written[0].write_text(map_page(stations, ds, w.t(page.SHORT_TITLE), lang), encoding="utf-8")
    countries = []
    for cc, rows in stations.groupby("country_code", sort=True):
        name = w.country(cc, rows["country"].iloc[0])
        countries.append((cc, name, len(rows)))
        path = out / "country" / f"{cc.lower()}.html"
        path.write_text(map_page(rows, ds, page.default_title(localize(rows, lang), lang), lang), encoding="utf-8")
        written.append(path)
    countries.sort(key=lambda c: c[1])
    for name in DATA_FILES:
        shutil.copyfile(data / name, out / "data" / name)
        written.append(out / "data" / name)
    (out / "data" / "stations-with-sources.csv").write_bytes(to_csv(stations))
    (out / "data" / "stations.geojson").write_bytes(to_geojson(stations))
    (out / "embed.html").write_text(embed_page(ds, countries, lang), encoding="utf-8")
    written += [out / "data" / "stations-with-sources.csv", out / "data" / "stations.geojson", out / "embed.html"]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.site", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write (created if missing)")
    parser.add_argument("--lang", choices=list(LANGS), default=DEFAULT, help="the language readers read (default en)")
    args = parser.parse_args(argv)
    try:
        written = write_site(args.out, lang=args.lang)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in written)
    print(f"{len(written)} files, {size / 1e6:.1f} MB, written to {args.out}: serve the folder as it is.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
