"""The folium map: offline basemap, stations drawn from JSON, and one overlay that carries the
title, the legend with counts and the credit line, so every export carries them too.

Text from the data never goes through folium's Popup/Tooltip templates (they put text inside
JavaScript template literals, where escaped HTML can still run). Instead the stations travel
as JSON with every character that matters to HTML or JavaScript written as a \\u escape, and
the browser builds popups with textContent.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from geo import basemap
from geo.gazetteer import GEONAMES_CREDIT
from geo.stations import KNOWN_BUREAUS, PRECISIONS, safe_url

ASSETS = Path(__file__).parent / "assets"
STATIC = Path(__file__).resolve().parent.parent / "static"
STATIC_URL = "/app/static"  # absolute: the map runs in a component iframe under /component/
CLUSTER_MAX = 20_000  # above this, canvas without clustering keeps the browser responsive

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
COLOURS = {"Fuzhou": "#D55E00", "Qingtian": "#0072B2", "Wenzhou": "#009E73", "Nantong": "#CC79A7",
           "other named bureau": "#E69F00", "unknown": "#7F7F7F"}
SEA = "#dfe8ee"
PRECISION_WORDS = {"address": "street address", "city": "city", "region": "region only",
                   "country": "country only"}
STYLES = {"address": {"radius": 7, "weight": 2.5, "fill": 0.95, "outline": "#111111"},
          "city": {"radius": 7, "weight": 1.5, "fill": 0.9, "outline": "#ffffff"},
          "region": {"radius": 11, "weight": 2.5, "fill": 0.25, "dash": "5 4"},
          "country": {"radius": 14, "weight": 2.5, "fill": 0.12, "dash": "1 5"}}
TILES = {
    "OpenStreetMap": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                      "\u00a9 OpenStreetMap contributors"),
    "CARTO light": ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
                    "\u00a9 OpenStreetMap contributors \u00a9 CARTO"),
}
OFFLINE = "Countries (offline)"
BASEMAPS = [OFFLINE, *TILES]

# xstatic packages ship the exact files folium expects; copied to static/ for Streamlit.
VENDOR = {"leaflet.js": ("leaflet", "leaflet.js"), "leaflet.css": ("leaflet", "leaflet.css"),
          "jquery.min.js": ("jquery", "jquery.min.js"),
          "leaflet.markercluster.js": ("leaflet_markercluster", "leaflet.markercluster.js"),
          "MarkerCluster.css": ("leaflet_markercluster", "MarkerCluster.css")}


def vendor_file(name: str) -> Path:
    import importlib

    package, filename = VENDOR[name]
    module = importlib.import_module(f"xstatic.pkg.{package}")
    return Path(module.BASE_DIR) / filename


def ensure_static(folder: Path = STATIC) -> Path:
    """Copy the map's JS/CSS and basemap into static/ (idempotent; served at /app/static)."""
    folder.mkdir(exist_ok=True)
    wanted = {name: vendor_file(name) for name in VENDOR}
    wanted["countries.json"] = basemap.ASSET
    wanted["stations.css"] = ASSETS / "stations.css"
    for name, src in wanted.items():
        dst = folder / name
        if not dst.exists() or dst.stat().st_size != src.stat().st_size or dst.stat().st_mtime < src.stat().st_mtime:
            shutil.copyfile(src, dst)
    return folder


def js_json(value) -> str:
    """JSON that is inert anywhere in an HTML page or a JS string: no < > & ' ` $ raw."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    for ch in "<>&'`$":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def colour_key(bureau: str) -> str:
    return bureau if bureau in COLOURS else "other named bureau"


class Basemap(MacroElement):
    """Natural Earth countries, fetched from static/ in the app or inlined in an export."""

    _template = Template("""{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var style = {color: '#a9a59d', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1};
  map.getContainer().style.background = '""" + SEA + """';
  function draw(d) {
    L.geoJSON(d, {style: style, interactive: false}).addTo(map).bringToBack();
    window.apsBasemap = d.features.length;
  }
  {% if this.inline %}draw({{ this.inline }});{% else %}
  fetch({{ this.url }}).then(function (r) { return r.json(); }).then(draw);{% endif %}
})();
{% endmacro %}""")

    def __init__(self, asset_base: str | None):
        super().__init__()
        self._name = "Basemap"
        self.inline = js_json(basemap.read_countries()) if asset_base is None else ""
        self.url = js_json(f"{asset_base}/countries.json")


class StationLayer(folium.elements.JSCSSMixin, MacroElement):
    _template = Template("{% macro script(this, kwargs) %}" + (ASSETS / "stations.js").read_text()
                         + "{% endmacro %}")

    def __init__(self, payload: dict, asset_base: str):
        super().__init__()
        self._name = "StationLayer"
        self.payload = js_json(payload)
        self.default_js = [("markercluster", f"{asset_base}/leaflet.markercluster.js")]
        self.default_css = [("markercluster_css", f"{asset_base}/MarkerCluster.css"),
                            ("stations_css", f"{asset_base}/stations.css")]


def station_payload(view: pd.DataFrame) -> tuple[list[dict], list[list[str]]]:
    """Compact records plus a shared source table (sources repeat across stations)."""
    table: list[list[str]] = []
    index: dict[tuple, int] = {}
    records = []
    for r in view.to_dict("records"):
        refs = []
        for s in r["sources"]:
            key = (s["publisher"], s["title"], s["date"], s["url"])
            if key not in index:
                index[key] = len(table)
                table.append([s["publisher"], s["title"], s["date"], s["url"] if safe_url(s["url"]) else ""])
            refs.append(index[key])
        records.append({"id": r["station_id"], "lat": float(r["lat"]), "lon": float(r["lon"]),
                        "city": r["city"], "region": r["region"], "country": r["country"],
                        "precision": r["precision"], "bureau": r["bureau"],
                        "bureau_detail": r["bureau_detail"], "year": r["year_opened"],
                        "status": r["status"], "status_date": r["status_date"],
                        "first_reported": r["first_reported"], "notes": r["notes"], "sources": refs})
    return records, table


def legend(view: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    counts = view["bureau"].value_counts()
    order = [b for b in KNOWN_BUREAUS if b in counts] + sorted(
        b for b in counts.index if b not in KNOWN_BUREAUS and b != "unknown") + (
        ["unknown"] if "unknown" in counts else [])
    bureaus = [{"label": b if b != "unknown" else "Unknown / not reported", "count": int(counts[b]),
                "colour": COLOURS[colour_key(b)]} for b in order]
    pcounts = view["precision"].value_counts()
    precisions = [{"key": p, "label": PRECISION_WORDS[p], "count": int(pcounts.get(p, 0))}
                  for p in PRECISIONS if pcounts.get(p, 0)]
    return bureaus, precisions


def credit_line(data_date: str, basemap_name: str, sources: str) -> str:
    base = basemap.CREDIT if basemap_name == OFFLINE else f"Basemap: {TILES[basemap_name][1]}"
    return (f"Data: {sources}; compiled by this project, data as of {data_date}. "
            f"Places: {GEONAMES_CREDIT}. {base}.")


def station_layer(view: pd.DataFrame, *, title: str, subtitle: str, filters: str, credit: str,
                  asset_base: str = STATIC_URL, fit: bool = True) -> folium.FeatureGroup:
    """The part of the map that changes with the filters (st_folium's feature_group_to_add)."""
    records, table = station_payload(view)
    bureaus, precisions = legend(view)
    cluster = len(records) <= CLUSTER_MAX
    lats, lons = view["lat"].astype(float), view["lon"].astype(float)
    payload = {
        "stations": records, "sources": table, "cluster": cluster, "canvas": not cluster,
        "colours": COLOURS, "styles": STYLES, "precision_words": PRECISION_WORDS, "sea": SEA,
        "fit": fit, "max_fit_zoom": 6,
        "bounds": [[lats.min(), lons.min()], [lats.max(), lons.max()]] if len(view) else None,
        "overlay": {"title": title, "subtitle": subtitle, "filters": filters, "credit": credit,
                    "bureaus": [{**b, "colour": COLOURS[colour_key(b["label"])] if b["label"] in COLOURS
                                 else b["colour"]} for b in bureaus],
                    "precisions": precisions,
                    "cluster_note": "Dark numbered circles group stations at or near one place: "
                                    "click one to see each station." if cluster else ""},
    }
    group = folium.FeatureGroup(name="Alleged stations", control=False)
    StationLayer(payload, asset_base).add_to(group)
    return group


def base_map(basemap_name: str = OFFLINE, asset_base: str | None = STATIC_URL) -> folium.Map:
    """The constant part of the map. asset_base None = everything inline (standalone export)."""
    m = folium.Map(location=[30, 10], zoom_start=2, tiles=None, world_copy_jump=True)
    # With tiles=None folium drops max_zoom, and markercluster needs it on the map itself.
    m.options.update(max_zoom=18, min_zoom=1)
    base = asset_base or "inline"
    m.default_js = [("leaflet", f"{base}/leaflet.js"), ("jquery", f"{base}/jquery.min.js")]
    m.default_css = [("leaflet_css", f"{base}/leaflet.css")]
    Basemap(asset_base).add_to(m)
    if basemap_name in TILES:
        url, attribution = TILES[basemap_name]
        folium.TileLayer(url, attr=attribution, name=basemap_name, max_zoom=18).add_to(m)
    return m


def standalone_html(view: pd.DataFrame, basemap_name: str = OFFLINE, **overlay: str) -> str:
    """One self-contained HTML file: every script and style inlined, opens from disk offline."""
    m = base_map(basemap_name, asset_base=None)
    station_layer(view, asset_base="inline", **overlay).add_to(m)
    html = m.get_root().render()
    for name in VENDOR:
        body = vendor_file(name).read_text(encoding="utf-8")
        html = inline_asset(html, f"inline/{name}", body)
    html = inline_asset(html, "inline/stations.css", (ASSETS / "stations.css").read_text(encoding="utf-8"))
    return html


def inline_asset(html: str, url: str, body: str) -> str:
    if url.endswith(".css"):
        tag = f'<link rel="stylesheet" href="{url}"/>'
        return html.replace(tag, f"<style>{body}</style>")
    tag = f'<script src="{url}"></script>'
    body = body.replace("</script", "<\\/script")
    return html.replace(tag, f"<script>{body}</script>")


def add_header_css(m: folium.Map, css: str) -> None:
    m.get_root().header.add_child(Element(f"<style>{css}</style>"))
