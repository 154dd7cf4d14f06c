"""Words and tables the app shows."""

from __future__ import annotations

from geo.view import page
from geo.view.filters import Filters


def test_coverage_counts_rows_against_each_report(tiny):
    table = page.coverage(tiny.stations).set_index("First reported by")
    assert table.loc["110 Overseas (Sep 2022)", "Stations it counts"] == 54
    assert table.loc["110 Overseas (Sep 2022)", "Rows here"] == 3
    assert table.loc["Patrol and Persuade (Dec 2022)", "Rows here"] == 3
    assert table.loc["Patrol and Persuade (Dec 2022)", "Countries here"] == 1
    assert table.loc["All rows", "Rows here"] == 6


def test_station_and_source_tables_mirror_the_view(tiny):
    table = page.station_table(tiny.stations)
    assert list(table["Place"])[:3] == ["Milan", "Milan", "Sicily"]
    assert table["Opened"].tolist().count("unknown") == 4
    sources = page.source_table(tiny.stations)
    assert sources.iloc[0]["Publisher"] == "The Guardian" and sources.iloc[0]["Stations"] == 3


def test_initial_state_refuses_unknown_settings(tiny):
    state = page.initial_state(
        Filters(extra={"basemap": "Evil tiles", "preset": "poster", "scale": "9"}), (2016, 2018), []
    )
    assert state["basemap"] == "Countries (offline)" and state["preset"] == "web" and state["scale"] == 2
    assert state["years"] == (2016, 2018)


def test_overlay_and_file_names(tiny):
    italy = tiny.stations[tiny.stations["country_code"] == "IT"]
    text = page.overlay_text(italy, "Country: Italy", "2026-01-02", "Countries (offline)")
    assert text["title"] == "Alleged Chinese police stations in Italy"
    assert text["subtitle"] == "3 alleged stations in 1 country"
    assert "data as of 2026-01-02" in text["credit"] and "GeoNames (CC BY 4.0)" in text["credit"]
    assert page.file_name(text["title"], "png") == "alleged-chinese-police-stations-in-italy.png"
    assert page.file_name("!!!", "csv") == "alleged-police-stations.csv"
