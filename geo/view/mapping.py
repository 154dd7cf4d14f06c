"""The folium map: offline basemap, stations drawn from JSON, and one overlay that carries the
title, the legend with counts and the credit line, so every export carries them too.

Text from the data never goes through folium's Popup/Tooltip templates (they put text inside
JavaScript template literals, where escaped HTML can still run). Instead the stations travel
as JSON with every character that matters to HTML or JavaScript written as a \\u escape (or,
for many stations, deflated and base64-encoded: geo/payload.py), and the browser builds popups
with textContent. Technique by size: clustered SVG markers up to CLUSTER_MAX stations, one
batched canvas layer above it (see geo/assets/stations.js and bench/README.md).
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from functools import cache
from html import escape
from pathlib import Path

import folium
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from jinja2 import Template

from geo.data import basemap
from geo.data.gazetteer import GEONAMES_CREDIT
from geo.data.history import EVIDENCE, NO_ACTION, STATUS_OF, timeline_months
from geo.data.schema import BUREAU_ZH, KNOWN_BUREAUS, PRECISIONS, STATUSES
from geo.view import payload
from geo.view.cache import Bounded
from geo.view.i18n import N_, NP_, localize, words

ASSETS = Path(__file__).resolve().parent.parent / "assets"
STATIC = Path(__file__).resolve().parent.parent.parent / "static"
STATIC_URL = "/app/static"  # absolute: the map runs in a component iframe under /component/
CLUSTER_MAX = 10_000  # above this, one canvas layer (geo/assets/stations.js) keeps the browser fast
PACK_ABOVE = 2_000  # stations; above this the columns travel deflated (base64), about 3x smaller
PACK_BYTES = 120_000  # ...and so do smaller sets whose histories make the columns this large

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
COLOURS = {
    "Fuzhou": "#D55E00",
    "Qingtian": "#0072B2",
    "Wenzhou": "#009E73",
    "Nantong": "#CC79A7",
    "other named bureau": "#56B4E9",
    "unknown": "#7F7F7F",
}
SEA = "#dfe8ee"
# Values of the data as a reader reads them (the data keeps the English key).
EVENT_WORDS = {
    "opened": N_("opened"),
    "reported": N_("first reported"),
    "denied": N_("denied"),
    "investigated": N_("investigated"),
    "raided": N_("raided"),
    "closed": N_("closed"),
    "charged": N_("charged"),
    "pleaded guilty": N_("pleaded guilty"),
    "convicted": N_("convicted"),
    "sentenced": N_("sentenced"),
    "acquitted": N_("acquitted"),
    "lawsuit": N_("lawsuit"),
    "other": N_("other"),
}
STATUS_WORDS = {
    "none reported": N_("none reported"),
    "investigated": N_("investigated"),
    "closed": N_("closed"),
    "charged": N_("charged"),
    "convicted": N_("convicted"),
    "acquitted": N_("acquitted"),
}
EVIDENCE_WORDS = {
    "official source": N_("official source"),
    "several outlets": N_("several outlets"),
    "single outlet": N_("single outlet"),
}
PRECISION_WORDS = {
    "address": N_("street address"),
    "city": N_("city"),
    "region": N_("region only"),
    "country": N_("country only"),
}
# In the legend, a country-level station says how it is drawn: the country hatched, not a dot.
PRECISION_LEGEND = {**PRECISION_WORDS, "country": N_("country only (country hatched)")}
# The project's name, set here once: the credit on every map and picture names it.
PROJECT = "Overseas Police Stations Map"
# Every word the map itself shows (popups, legend, names for screen readers, hints), in English;
# words_for() gives them in a reader's language. A pair is a plural: (one, many).
WORDS = {
    "kicker": N_("Alleged police \u201cservice station\u201d"),
    "alleged_station": N_("alleged police station"),
    "Bureau": N_("Bureau"),
    "bureau_named": N_("{b} bureau"),
    "bureau_unknown": N_("bureau not reported"),
    "Opened": N_("Opened"),
    "not_reported": N_("not reported"),
    "Host_response": N_("Host response"),
    "host_response": N_("host response"),
    "First_reported": N_("First reported"),
    "Location": N_("Location known to"),
    "Notes": N_("Notes"),
    "Evidence": N_("Evidence"),
    "History": N_("History"),
    "events": EVENT_WORDS,
    "statuses": STATUS_WORDS,
    "evidence_words": EVIDENCE_WORDS,
    "Sources": N_("Sources"),
    "undated": N_("undated"),
    "kinds": {
        "ngo-report": N_("NGO report"),
        "government": N_("government"),
        "court": N_("court"),
        "news": N_("news"),
    },
    "previous": N_("Previous station at this place"),
    "next": N_("Next station at this place"),
    "of_at": N_("{i} of {n} at {place}"),
    "n_here": NP_("{n} station here", "{n} stations here"),
    "area": N_("{place} area"),
    "n_countries": NP_("{n} country", "{n} countries"),
    "n_stations": NP_("{n} station", "{n} stations"),
    "legend": N_("Legend"),
    "legend_bureau": N_("Founding bureau (as reported):"),
    "legend_precision": N_("Location known to:"),
    "wheel_hint": N_("Click the map or hold Ctrl (\u2318 on a Mac) while scrolling to zoom"),
    "frame_title": NP_(
        "Map of {n} alleged Chinese police station abroad", "Map of {n} alleged Chinese police stations abroad"
    ),
    "see_inset": N_("see inset"),
    "reader": {
        "filter": N_("Filter the map"),
        "all": N_("All"),
        "country": N_("Country"),
        "bureau": N_("Founding bureau"),
        "status": N_("Host response"),
        "evidence": N_("Evidence"),
        "search": N_("Search"),
        "search_hint": N_("city, bureau, notes"),
        "as_of": N_("Map as of"),
        "as_of_lower": N_("as of"),
        "latest": N_("latest"),
        "showing": NP_("Showing {n} of {total} alleged station", "Showing {n} of {total} alleged stations"),
        "n_alleged": NP_("{n} alleged station", "{n} alleged stations"),
        "in_n_countries": NP_("in {n} country", "in {n} countries"),
    },
}


def translated(tree, lang: str):
    """WORDS (or part of it) in a language: strings translated, pairs as plural forms for the map's
    script ({"one": ..., "other": ...}, chosen there with Intl.PluralRules)."""
    w = words(lang)
    if isinstance(tree, dict):
        return {k: translated(v, lang) for k, v in tree.items()}
    if isinstance(tree, tuple):
        return w.forms(*tree)
    if isinstance(tree, list):
        return [translated(v, lang) for v in tree]
    return w.t(tree) if isinstance(tree, str) else tree


# Regions a picture can show in an inset (south-west, north-east corners).
REGION_WORDS = [N_("Europe"), N_("North America"), N_("South America"), N_("East Asia"), N_("Africa"), N_("Oceania")]
REGIONS = {
    "Europe": [[33.0, -18.0], [61.0, 32.0]],
    "North America": [[14.0, -128.0], [55.0, -60.0]],
    "South America": [[-56.0, -82.0], [13.0, -34.0]],
    "East Asia": [[20.0, 100.0], [46.0, 146.0]],
    "Africa": [[-35.0, -18.0], [37.0, 52.0]],
    "Oceania": [[-48.0, 110.0], [-9.0, 180.0]],
}
CLUSTER_NOTE = N_(
    "Rings group stations at or near one place, coloured by bureau: click one (or press Enter) to see each."
)
AUTO = "auto"
NO_INSET = "none"
STYLES = {
    "address": {"radius": 7, "weight": 2.5, "fill": 0.95, "outline": "#111111"},
    "city": {"radius": 7, "weight": 1.5, "fill": 0.9, "outline": "#ffffff"},
    "region": {"radius": 11, "weight": 2.5, "fill": 0.25, "dash": "5 4"},
    "country": {"radius": 9, "weight": 2.5, "fill": 0.12, "dash": "1 5"},
}
TILES = {
    "OpenStreetMap": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "\u00a9 OpenStreetMap contributors"),
    "CARTO light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "\u00a9 OpenStreetMap contributors \u00a9 CARTO",
    ),
}
OFFLINE = N_("Countries (offline)")
BASEMAPS = [OFFLINE, *TILES]

# xstatic packages ship the exact files folium expects; copied to static/ for Streamlit.
VENDOR = {
    "leaflet.js": ("leaflet", "leaflet.js"),
    "leaflet.css": ("leaflet", "leaflet.css"),
    "leaflet.markercluster.js": ("leaflet_markercluster", "leaflet.markercluster.js"),
    "MarkerCluster.css": ("leaflet_markercluster", "MarkerCluster.css"),
}


OWN_ASSETS = ("stations.css", "dots.js", "stations.js")


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
    for name in OWN_ASSETS:
        wanted[name] = ASSETS / name
    for name, src in wanted.items():
        dst = folder / name
        if not dst.exists() or dst.stat().st_size != src.stat().st_size or dst.stat().st_mtime < src.stat().st_mtime:
            shutil.copyfile(src, dst)
    return folder


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_json(value) -> str:
    """JSON that is inert anywhere in an HTML page, a JS string or a Jinja template: no < > & ' ` $
    raw, and no {{ {% {# (folium re-reads rendered scripts as templates; data must never run there)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    for ch in "<>&'`$":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    # Compact JSON never has "{" before "{", "%" or "#" outside a string, so each one is text.
    return _JINJA_OPEN.sub(r"\\u007b", text)


class _Verbatim(Element):
    """Script text added to the page as it is. folium's MacroElement.render wraps each rendered
    macro in Element(template=...), i.e. compiles it as Jinja: megabytes of station JSON were
    lexed on every render, and text like {{ 7*7 }} in a note was evaluated on the server."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _ScriptOnly(MacroElement):
    """A MacroElement with only a script macro, rendered without a second Jinja pass."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for name, url in getattr(self, "default_js", []):
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", []):
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_Verbatim(self._template.module.script(self, kwargs)), name=self.get_name())


def colour_key(bureau: str) -> str:
    return bureau if bureau in COLOURS else "other named bureau"


class Basemap(_ScriptOnly):
    """Natural Earth countries, fetched from static/ in the app or inlined in an export."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var style = {color: '#a9a59d', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1};
  map.getContainer().style.background = '"""
        + SEA
        + """';
  function draw(d) {
    window.apsCountries = d;  // the stations' script hatches countries and labels them from it
    window.apsCountryLayer = L.geoJSON(d, {style: style, interactive: false}).addTo(map).bringToBack();
    window.apsBasemap = d.features.length;
    window.dispatchEvent(new Event('aps-basemap'));
  }
  {% if not this.countries %}window.apsBasemap = 0;  // a tile basemap was chosen instead
  window.dispatchEvent(new Event('aps-basemap'));
  {% elif this.inline %}draw({{ this.inline }});{% else %}
  fetch({{ this.url }}).then(function (r) { return r.json(); }).then(draw);{% endif %}
})();
{% endmacro %}"""
    )

    def __init__(self, asset_base: str | None, countries: bool = True):
        super().__init__()
        self._name = "Basemap"
        self.countries = countries
        self.inline = js_json(basemap.read_countries()) if asset_base is None and countries else ""
        self.url = js_json(f"{asset_base}/countries.json")


class StationLayer(_ScriptOnly, folium.elements.JSCSSMixin):  # the mixin: the page collects its links
    _template = Template(
        "{% macro script(this, kwargs) %}(function () {\nvar data = {{ this.payload }};\n"
        "apsStations(data, {{ this._parent.get_name() }});\n})();\n{% endmacro %}"
    )

    def __init__(self, data: dict, asset_base: str):
        super().__init__()
        self._name = "StationLayer"
        # The deflated columns are base64 (nothing to escape): spliced in, not re-scanned.
        packed = data.get("packed")
        self.payload = js_json({k: v for k, v in data.items() if k != "packed"})
        if packed is not None:
            self.payload = self.payload[:-1] + ',"packed":"' + packed + '"}'  # JSON and JS safe
        self.default_js = [
            ("markercluster", f"{asset_base}/leaflet.markercluster.js"),
            ("aps_dots", f"{asset_base}/dots.js"),
            ("aps_stations", f"{asset_base}/stations.js"),
        ]
        self.default_css = [
            ("markercluster_css", f"{asset_base}/MarkerCluster.css"),
            ("stations_css", f"{asset_base}/stations.css"),
        ]


def bilingual(bureau: str) -> str:
    """'Fuzhou 福州': the bureau as English and Chinese-language reports name it."""
    return f"{bureau} {BUREAU_ZH[bureau]}" if bureau in BUREAU_ZH else bureau


def legend(bureau_counts: Counter, precision_counts: Counter, lang: str = "en") -> tuple[list[dict], list[dict]]:
    counts, w = bureau_counts, words(lang)
    order = (
        [b for b in KNOWN_BUREAUS if b in counts]
        + sorted(b for b in counts if b not in KNOWN_BUREAUS and b != "unknown")
        + (["unknown"] if "unknown" in counts else [])
    )
    bureaus = [
        {
            "key": b,
            "label": bilingual(b) if b != "unknown" else w.t(N_("Unknown / not reported")),
            "count": int(counts[b]),
            "colour": COLOURS[colour_key(b)],
        }
        for b in order
    ]
    precisions = [
        {"key": p, "label": w.t(PRECISION_LEGEND[p]), "count": int(precision_counts[p])}
        for p in PRECISIONS
        if precision_counts.get(p, 0)
    ]
    return bureaus, precisions


def credit_line(
    data_date: str, basemap_name: str, sources: str, byline: str = "", own: bool = False, lang: str = "en"
) -> str:
    """The credit on every map and picture; a reader's own list is credited to their file alone."""
    w = words(lang)
    base = (
        w.t(N_("Basemap: Natural Earth (public domain)"))
        if basemap_name == OFFLINE
        else w.t(N_("Basemap: {tiles}")).format(tiles=TILES[basemap_name][1])
    )
    graphic = w.t(N_("Graphic: {byline}.")).format(byline=byline) + " " if byline else ""
    if own:
        data = w.t(N_("Data: {sources}.")).format(sources=sources)
    else:
        data = w.t(N_("Data: {sources}; compiled by the {project} project, data as of {date}.")).format(
            sources=sources, project=PROJECT, date=data_date
        )
    places = w.t(N_("Places: {credit}.")).format(credit=GEONAMES_CREDIT)
    return w.space.join(x for x in (graphic.strip(), data, places, base + w.stop) if x)


def choose_inset(view: pd.DataFrame, choice: str = AUTO) -> dict | None:
    """The region a picture shows in an inset: the one asked for, or (auto) a region that holds
    a pile of the stations while the view spans continents (Europe in the world view)."""
    if choice in REGIONS:
        return {"name": choice, "bounds": REGIONS[choice]}
    if choice != AUTO or len(view) < 10:
        return None
    lat = view["lat"].astype(float)
    lon = view["lon"].astype(float)
    span = lon.max() - lon.min()
    for name, ((s, w), (n, e)) in REGIONS.items():
        inside = int(((lat >= s) & (lat <= n) & (lon >= w) & (lon <= e)).sum())
        if span > 3 * (e - w) and inside >= 10 and inside >= 0.3 * len(view) and inside < len(view):
            return {"name": name, "bounds": REGIONS[name]}
    return None


def named_inset(inset: dict | None, lang: str) -> dict | None:
    if not inset:
        return None
    region = inset["name"]
    return {**inset, "name": words(lang).t(region)}


def station_layer(
    view: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    filters: str,
    credit: str,
    asset_base: str = STATIC_URL,
    fit: bool = True,
    still: bool = False,
    clean: bool = False,
    inset: str = AUTO,
    labels: bool = True,
    reader: bool = False,
    kind: str = "stations",
    cache_key: tuple | None = None,
    lang: str = "en",
) -> folium.FeatureGroup:
    """The stations and the overlay: the part of the map that changes with the filters.

    still=True is for pictures: no clusters (a PNG cannot be clicked), shared points fanned out.
    """
    n = len(view)
    cluster = n <= CLUSTER_MAX and not still
    view = localize(view, lang)  # places named in the reader's language
    columns, packed = station_payload(view, (*cache_key, lang) if cache_key is not None else None)
    bureaus, precisions = legend(payload.counts(columns["bureau"]), payload.counts(columns["precision"]), lang)
    colours, words, note = COLOURS, WORDS, CLUSTER_NOTE
    words_of = globals()["words"]
    if kind == "points":  # a journalist's own list: their categories, neutral words
        from geo.view import points

        colours, bureaus = points.categories(payload.counts(columns["bureau"]), lang)
        words, note = points.WORDS, points.CLUSTER_NOTE
    lats, lons = columns["lat"], columns["lon"]
    data = {
        "v": 2,
        "n": n,
        "cluster": cluster,
        "canvas": n > CLUSTER_MAX,
        "spread": still and n <= CLUSTER_MAX,
        "clean": clean,
        "labels": labels and n <= CLUSTER_MAX,
        "inset": named_inset(choose_inset(view, inset) if n <= CLUSTER_MAX else None, lang),
        "words": translated(words, lang),
        "lang": words_of(lang).tag,
        "colon": words_of(lang).colon,
        "country_names": country_names(lang),
        "reader": reader_options(view, lang) if reader and cluster else None,
        "status_of": STATUS_OF,
        "no_action": NO_ACTION,
        "statuses": STATUSES,
        "evidence_levels": EVIDENCE,
        "bureau_zh": BUREAU_ZH if kind == "stations" else {},
        "colours": colours,
        "styles": STYLES,
        "precision_words": translated(PRECISION_WORDS, lang),
        "sea": SEA,
        "fit": fit,
        "max_fit_zoom": 8 if still else 6,
        "bounds": [[min(lats), min(lons)], [max(lats), max(lons)]] if n else None,
        "overlay": {
            "title": title,
            "subtitle": subtitle,
            "filters": filters,
            "credit": credit,
            "bureaus": bureaus,
            "precisions": precisions,
            "cluster_note": words_of(lang).t(note) if cluster else "",
        },
    }
    if packed is not None:
        data["packed"] = packed
    else:
        data["cols"] = columns
    group = folium.FeatureGroup(name="Points" if kind == "points" else "Alleged stations", control=False)
    StationLayer(data, asset_base).add_to(group)
    return group


_PAYLOADS = Bounded(64)


def station_payload(view: pd.DataFrame, cache_key: tuple | None = None) -> tuple[dict, str | None]:
    """The stations as columns, and deflated when large. With a cache_key (the data's identity and
    the view's), the same view is built once per process: most readers open the same default map."""

    def build() -> tuple[dict, str | None]:
        columns = payload.station_columns(view)
        packed = None
        if len(view) > PACK_ABOVE:
            packed = payload.pack(columns)
        elif columns["ev"]:
            text = json.dumps(columns, ensure_ascii=False, separators=(",", ":"))
            if len(text) > PACK_BYTES:
                packed = payload.pack(columns, text)
        return columns, packed

    return _PAYLOADS.get((*cache_key, tuple(view["station_id"])) if cache_key is not None else None, build)


def reader_options(view: pd.DataFrame, lang: str = "en") -> dict:
    """What the reader embed's controls offer: the months from the first report to the last event."""
    events = [e for h in view.get("history", []) for e in h]
    months = timeline_months([e["date"] for e in events], [e["date"] for e in events if e["event"] == "reported"])
    w = words(lang)
    return {"months": months, "month_labels": [w.month(m) for m in months]}


@cache
def country_names(lang: str) -> dict[str, str]:
    """The basemap's country labels in a language (CLDR names; English keeps the basemap's own)."""
    if lang == "en":
        return {}
    w = words(lang)
    return {code: w.country(code) for code in basemap.country_points()}


def base_map(basemap_name: str = OFFLINE, asset_base: str | None = STATIC_URL) -> folium.Map:
    """The constant part of the map. asset_base None = everything inline (standalone export)."""
    m = folium.Map(location=[30, 10], zoom_start=2, tiles=None, world_copy_jump=True)
    # With tiles=None folium drops max_zoom, and markercluster needs it on the map itself.
    m.options.update(max_zoom=18, min_zoom=1)
    base = asset_base or "inline"
    # No jQuery: nothing on the map uses it (popups are built with the DOM), so it is not sent.
    m.default_js = [("leaflet", f"{base}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{base}/leaflet.css")]
    # Countries are drawn in the overlay pane, above tiles, so they give way to a tile basemap.
    Basemap(asset_base, countries=basemap_name not in TILES).add_to(m)
    if basemap_name in TILES:
        url, attribution = TILES[basemap_name]
        folium.TileLayer(url, attr=attribution, name=basemap_name, max_zoom=18).add_to(m)
    return m


_PAGES = Bounded(64)


def app_page(
    view: pd.DataFrame,
    basemap_name: str = OFFLINE,
    *,
    clean: bool = False,
    kind: str = "stations",
    lang: str = "en",
    cache_key: tuple | None = None,
    **overlay: str,
) -> str:
    """The workbench map as one small page for the app's iframe: the stations and the overlay
    inline, Leaflet and our scripts linked from /app/static (cached by the browser). With a
    cache_key (the data's identity), a view is rendered once per process and then reused: most
    readers open the same default map, and a rerun that does not change the map costs a lookup."""
    key = None
    if cache_key is not None:
        key = (*cache_key, tuple(view["station_id"]), basemap_name, clean, kind, lang, tuple(sorted(overlay.items())))

    def render() -> str:
        m = base_map(basemap_name, asset_base=STATIC_URL)
        layer = station_layer(
            view,
            asset_base=STATIC_URL,
            clean=clean,
            inset=NO_INSET,
            kind=kind,
            lang=lang,
            cache_key=cache_key,
            **overlay,
        )
        layer.add_to(m)
        return page_head(m.get_root().render(), overlay.get("title", PROJECT), lang)

    return _PAGES.get(key, render)


def standalone_html(
    view: pd.DataFrame,
    basemap_name: str = OFFLINE,
    still: bool = False,
    inset: str = AUTO,
    reader: bool = True,
    kind: str = "stations",
    lang: str = "en",
    **overlay: str,
) -> str:
    """One self-contained HTML file: every script and style inlined, opens from disk offline. An
    interactive one carries the reader's filters (pictures, still=True, do not)."""
    m = base_map(basemap_name, asset_base=None)
    layer = station_layer(
        view,
        asset_base="inline",
        still=still,
        inset=inset,
        reader=reader and not still,
        kind=kind,
        lang=lang,
        **overlay,
    )
    layer.add_to(m)
    m.get_root().header.add_child(JavascriptLink("inline/svg.js"), name="aps_svg")
    html = m.get_root().render()
    for name in VENDOR:
        body = vendor_file(name).read_text(encoding="utf-8")
        html = inline_asset(html, f"inline/{name}", body)
    for name in (*OWN_ASSETS, "svg.js"):
        html = inline_asset(html, f"inline/{name}", (ASSETS / name).read_text(encoding="utf-8"))
    return page_head(html, overlay.get("title", PROJECT), lang)


def page_head(html: str, title: str, lang: str = "en") -> str:
    """A page a reader can zoom (no user-scalable=no), in a declared language, with a title."""
    html = re.sub(
        r'<meta name="viewport"[^>]*>',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        html,
        count=1,
    )
    html = html.replace("<html>", f'<html lang="{escape(words(lang).tag)}">', 1)
    return html.replace("<head>", f'<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>', 1)


def inline_asset(html: str, url: str, body: str) -> str:
    if url.endswith(".css"):
        tag = f'<link rel="stylesheet" href="{url}"/>'
        return html.replace(tag, f"<style>{body}</style>")
    tag = f'<script src="{url}"></script>'
    body = body.replace("</script", "<\\/script")
    return html.replace(tag, f"<script>{body}</script>")


def add_header_css(m: folium.Map, css: str) -> None:
    m.get_root().header.add_child(Element(f"<style>{css}</style>"))
