"""The map HTML, rendered without a browser: markers, escaping, links, offline assets."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import mapping, payload
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
        "Fuzhou": 3, "Qingtian": 1, "Wenzhou": 1, "Unknown / not reported": 1}


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
    js = "\n".join(line for line in (mapping.ASSETS / "stations.js").read_text().splitlines()
                   if not line.strip().startswith("//"))
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
    assert not re.search(r'<script[^>]+src=', html) and 'rel="stylesheet"' not in html
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
