"""The map HTML, rendered without a browser: markers, escaping, links, offline assets."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.view import mapping, payload
from tests.conftest import hostile_frame

OVERLAY = {"title": "T", "subtitle": "S", "filters": "F", "credit": "C"}


def payload_of(html: str) -> dict:
    """The station JSON as the browser receives it, its columns (deflated or not) read back as
    one record per station, as geo/assets/stations.js reads them."""
    return payload.decode(html)


def render(view, basemap=mapping.OFFLINE, **overlay):
    m = mapping.base_map(basemap)
    mapping.station_layer(view, **(OVERLAY | overlay)).add_to(m)
    return m.get_root().render()


def test_every_station_is_a_marker_with_its_sources(tiny):
    data = payload_of(render(tiny.stations))
    assert [r["id"] for r in data["stations"]] == list(tiny.stations["station_id"])
    milan = next(r for r in data["stations"] if r["id"] == "it-milan-qingtian")
    assert [data["sources"][i][0] for i in milan["sources"]] == ["The Guardian", "Safeguard Defenders"]
    assert data["cluster"] is True  # stations that share a city stay reachable (spiderfy)
    assert {b["label"]: b["count"] for b in data["overlay"]["bureaus"]} == {
        "Fuzhou \u798f\u5dde": 3,  # bilingual, as English and Chinese-language reports name the bureau
        "Qingtian \u9752\u7530": 1,
        "Wenzhou \u6e29\u5dde": 1,
        "Unknown / not reported": 1,
    }


def test_assets_are_local_and_no_http_url_is_loaded(tiny):
    html = render(tiny.stations)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert '<script src="/app/static/leaflet.js"></script>' in html
    assert "/app/static/leaflet.markercluster.js" in html and "/app/static/countries.json" in html


def test_tile_basemap_is_an_option_with_attribution(tiny):
    html = render(tiny.stations, basemap="OpenStreetMap")
    assert "tile.openstreetmap.org" in html and "OpenStreetMap contributors" in html


def test_hostile_text_never_reaches_the_page_raw(tiny):
    df = hostile_frame(tiny)
    html = render(df, title="<script>alert('t')</script>", filters="${alert(1)}")
    data_line = re.search(r"var data = (\{.*?\});\n", html).group(1)
    assert "alert" not in html.replace(data_line, "")  # hostile text lives only inside the JSON
    for raw in ("<", ">", "${", "`", "'", "&", "\u2028"):
        assert raw not in data_line
    assert html.count("<script") == html.count("</script>")
    data = payload_of(html)
    # unsafe links are dropped server-side; the text survives as text
    assert {s[3] for s in data["sources"]} == {"", "https://example.org/ok"}
    assert data["stations"][0]["city"] == df["city"].iloc[0]


def test_popups_are_built_with_text_content_only():
    js = "\n".join(
        line for line in (mapping.ASSETS / "stations.js").read_text().splitlines() if not line.strip().startswith("//")
    )
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js
    assert "rel = 'noopener noreferrer'" in js and "target = '_blank'" in js


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_js_json_is_inert_and_lossless(text):
    encoded = mapping.js_json({"t": text})
    assert not set(encoded) & set("<>&'`$\u2028\u2029")
    assert json.loads(encoded) == {"t": text}


def test_standalone_html_inlines_everything(tiny):
    html = mapping.standalone_html(tiny.stations, **OVERLAY)
    assert not re.search(r"<script[^>]+src=", html) and 'rel="stylesheet"' not in html
    assert "L.markerClusterGroup" in html and '"type":"FeatureCollection"' in html
    assert len(payload_of(html)["stations"]) == 6


@pytest.mark.parametrize("n, clustered", [(10, True), (mapping.CLUSTER_MAX + 1, False)])
def test_technique_is_chosen_by_size(tiny, n, clustered):
    many = tiny.stations.sample(n, replace=True, random_state=1)
    group = mapping.station_layer(many, **OVERLAY)
    element = next(iter(group._children.values()))
    data = payload_of(element.payload)
    assert data["cluster"] is clustered and data["canvas"] is not clustered
    assert len(data["stations"]) == n


# Every technique the size picks: plain JSON + clusters, deflated JSON + clusters, deflated + canvas.
TECHNIQUES = [
    pytest.param(6, id="plain-json-clusters"),
    pytest.param(mapping.PACK_ABOVE + 1, id="packed-clusters"),
    pytest.param(mapping.CLUSTER_MAX + 1, id="packed-canvas"),
]
TEMPLATE_TEXT = ["{{ 7*7 }}", "{% if 1 %}x{% endif %}", "{# c #}", "{{{{", "{{ cycler.__init__.__globals__ }}"]


def hostile_view(tiny, n):
    df = hostile_frame(tiny)
    df["notes"] = [TEMPLATE_TEXT[j % len(TEMPLATE_TEXT)] + " " + v for j, v in enumerate(df["notes"])]
    return df.sample(n, replace=True, random_state=2) if n > len(df) else df.head(n)


@pytest.mark.parametrize("n", TECHNIQUES)
def test_escaping_holds_in_every_technique(tiny, n):
    df = hostile_view(tiny, n)
    html = render(df, title="<script>alert('t')</script> {{ 7*7 }}", filters="${alert(1)}")
    data_line = re.search(r"var data = (\{.*?\});\n", html).group(1)
    assert "alert" not in html.replace(data_line, "")  # hostile text lives only inside the data
    for raw in ("<", ">", "${", "`", "'", "&", "\u2028", "{{", "{%", "{#"):
        assert raw not in data_line
    assert html.count("<script") == html.count("</script>")
    data = payload_of(html)
    assert (data["cluster"], data["canvas"]) == (n <= mapping.CLUSTER_MAX, n > mapping.CLUSTER_MAX)
    if n > mapping.PACK_ABOVE:  # deflated: nothing but base64 reaches the page
        assert re.fullmatch(r"[A-Za-z0-9+/=]+", json.loads(data_line)["packed"])
    # unsafe links are dropped server-side; every text arrives exactly, as text, never evaluated
    assert {s[3] for s in data["sources"]} == {"", "https://example.org/ok"}
    for column, name in payload.FIELDS.items():
        assert [r[column] for r in data["stations"]] == list(df[name]), column
    assert data["overlay"]["title"] == "<script>alert('t')</script> {{ 7*7 }}"


@pytest.mark.parametrize("n", TECHNIQUES)
def test_template_syntax_in_data_is_never_run_on_the_server(tiny, n):
    """folium re-reads rendered scripts as Jinja templates: {{ }} in a note once ran in Python."""
    df = hostile_view(tiny, n)
    html = mapping.standalone_html(df, **OVERLAY)  # raised TemplateSyntaxError on "{% x %}" before
    notes = [r["notes"] for r in payload_of(html)["stations"]]
    assert notes == list(df["notes"]) and not any(note.startswith("49 ") for note in notes)


def test_many_stations_stay_small_and_reachable(tiny):
    """Above CLUSTER_MAX the canvas pages through every station sharing a point (no spiderfy)."""
    js = (mapping.ASSETS / "dots.js").read_text()
    assert "h.open(i)" in js and mapping.WORDS["of_at"] == "{i} of {n} at {place}"
    many = tiny.stations.sample(mapping.CLUSTER_MAX + 1, replace=True, random_state=3)
    html = render(many)
    assert len(html) < 200 * (mapping.CLUSTER_MAX + 1)  # a folium Marker with a Popup is ~1 kB each
