"""The Streamlit app, driven headlessly with AppTest: what it sends to the map, and its states."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.view import payload

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ROOT = Path(APP).parent
STATIONS = pd.read_csv(ROOT / "data" / "stations.csv", dtype=str, keep_default_na=False)


def summary_of(at) -> str:
    """The summary line under the page title (the title itself is constant HTML)."""
    return next(m.value for m in at.markdown if "Data as of" in m.value)


def start(query: dict | None = None, data_dir: str | None = None, monkeypatch=None) -> AppTest:
    if data_dir and monkeypatch:
        monkeypatch.setenv("APS_DATA_DIR", data_dir)
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def sent_markers(at: AppTest) -> list[dict]:
    """The stations inside the map page actually sent to the browser's iframe."""
    maps = at.get("iframe")
    if not maps:
        return []
    return payload.decode(maps[0].proto.srcdoc)["stations"]


def test_default_view_sends_every_station():
    at = start()
    assert not at.exception and not at.error
    assert len(sent_markers(at)) == len(STATIONS)
    summary = summary_of(at)
    countries = STATIONS["country_code"].nunique()
    assert f"Showing {len(STATIONS)} of {len(STATIONS)} alleged stations in {countries} countries" in summary


def test_a_bureau_filter_lowers_the_count_and_updates_the_url():
    at = start()
    at.multiselect(key="bureaus").select("Qingtian").run()
    markers = sent_markers(at)
    expected = (STATIONS["bureau"] == "Qingtian").sum()
    assert 0 < len(markers) == expected < len(STATIONS)
    assert at.query_params["bureau"] == "Qingtian"


def test_a_shared_link_reopens_the_same_view():
    at = start({"country": "IT", "unknown_year": "0", "years": "2016-2018"})
    assert at.multiselect(key="countries").value == ["IT"]
    assert at.checkbox(key="unknown_year").value is False
    italy = STATIONS[(STATIONS["country_code"] == "IT") & STATIONS["year_opened"].isin(["2016", "2017", "2018"])]
    assert {m["id"] for m in sent_markers(at)} == set(italy["station_id"])


def test_empty_result_is_a_friendly_message_not_an_empty_map():
    at = start()
    at.text_input(key="text").input("no such place anywhere").run()
    assert sent_markers(at) == []
    assert "No station matches these filters" in at.info[0].value
    assert "Showing 0 of" in summary_of(at)


def test_broken_data_shows_an_error_not_a_traceback(tmp_path, monkeypatch):
    (tmp_path / "stations.csv").write_text("station_id\nx\n")
    at = start(data_dir=str(tmp_path), monkeypatch=monkeypatch)
    assert not at.exception
    assert at.error[0].value == "The map's data could not be loaded."
    message = at.code[0].value  # shown as text, never as markup
    assert "data/sources.csv: the file is missing" in message and "python -m geo.build" in message


def test_tabs_show_table_counts_sources_and_method():
    at = start({"country": "IT"})
    table = at.dataframe[0].value
    assert len(table) == (STATIONS["country_code"] == "IT").sum()
    assert "Data as of" in summary_of(at)
    assert not at.get("download_button")  # only the open tab is built
    at = start({"country": "IT", "tab": "Methodology"})
    method = " ".join(m.value for m in at.markdown)
    assert "alleged" in method and "GeoNames" in method and "Precision" in method
    assert "Patrol and Persuade" in method and "globaltimes.cn" in method  # the reports and China's denial
    at = start({"country": "IT", "tab": "Export & share"})
    assert [b.label for b in at.get("download_button")] == [
        "Download standalone HTML map",
        "Download CSV (filtered)",
        "Download GeoJSON (filtered)",
        "Download CSV + GeoJSON + README (zip)",
    ]


def test_share_link_holds_every_setting_and_alt_text_describes_the_view():
    at = start(
        {
            "country": "IT",
            "title": "Italy's alleged stations",
            "preset": "square",
            "scale": "3",
            "tab": "Export & share",
        }
    )
    codes = [c.value for c in at.code]
    italy = (STATIONS["country_code"] == "IT").sum()
    assert codes[0].startswith(f"Map of {italy} alleged stations in Italy: ")
    link = codes[1]
    for part in (
        "country=IT",
        "title=Italy%27s+alleged+stations",
        "preset=square",
        "scale=3",
        "basemap=Countries+%28offline%29",
        "bureau=all",
        "unknown_year=1",
    ):
        assert part in link
    assert at.selectbox(key="preset").value == "square" and at.radio(key="scale").value == 3
    title = json.loads(re.search(r"var data = (\{.*?\});\n", at.get("iframe")[0].proto.srcdoc).group(1))["overlay"][
        "title"
    ]
    assert title == "Italy's alleged stations"


def test_clean_mode_shows_only_the_map():
    at = start({"clean": "1"})
    assert len(sent_markers(at)) == len(STATIONS)
    assert not at.tabs and not at.title
    at.button[0].click().run()  # "Exit clean mode"
    assert at.toggle(key="clean").value is False and at.tabs


def test_make_png_offers_a_png_download():
    at = start({"country": "IT", "tab": "Export & share"})
    next(b for b in at.button if b.label == "Make PNG").click().run()
    assert not at.error, at.error[0].value if at.error else ""
    png = [b for b in at.get("download_button") if b.label == "Download PNG"]
    assert png and png[0].proto.label == "Download PNG"


def test_waiting_for_an_upload_loses_no_filter_default():
    at = start()
    at.radio(key="data_source").set_value("My CSV file").run()
    assert "Choose a CSV file" in at.info[0].value and sent_markers(at) == []
    at.radio(key="data_source").set_value("Curated dataset").run()
    assert at.checkbox(key="unknown_year").value is True
    assert len(sent_markers(at)) == len(STATIONS)


def test_as_of_link_shows_the_map_of_that_month():
    """A station first reported in Dec 2022 is absent in Nov 2022; the summary says the month."""
    nov = start({"asof": "2022-11"})
    dec = start({"asof": "2022-12"})
    assert 0 < len(sent_markers(nov)) < len(sent_markers(dec))
    assert "as of November 2022" in summary_of(nov)
    assert nov.query_params["asof"] == ["2022-11"] or nov.query_params["asof"] == "2022-11"


def test_what_changed_lists_recent_events_newest_first():
    at = start({"tab": "What changed"})
    table = at.dataframe[0].value
    assert list(table.columns[:6]) == ["Date", "Station", "Place", "Event", "Actor", "Summary"]
    assert len(table) > 0 and list(table["Date"]) == sorted(table["Date"], reverse=True)


def test_a_hiding_filter_is_named_and_show_all_brings_every_row_back():
    at = start({"country": "IT"})
    hidden = len(STATIONS) - int((STATIONS["country_code"] == "IT").sum())
    assert any(f"{hidden} rows hidden by Country" in c.value for c in at.caption)
    at.button(key="show_all").click().run()
    assert len(sent_markers(at)) == len(STATIONS)
    assert not any("hidden by" in c.value for c in at.caption)


def test_play_steps_through_the_months_to_the_last_and_stops():
    from geo.data.history import last_month

    events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False)
    at = start({"asof": "2025-10"})  # a few months before the last: the loop runs to the end
    at.button(key="play").click().run()
    assert not at.exception, at.exception
    assert at.session_state["as_of"] == last_month(events) and not at.session_state["playing"]
