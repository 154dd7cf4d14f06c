"""Filters, the URL round trip, and the words that describe a view."""

from __future__ import annotations

import pandas as pd

from geo.view.filters import Filters, apply_filters, describe, filter_line, from_query, to_query, year_bounds


def ids(view: pd.DataFrame) -> list[str]:
    return sorted(view["station_id"])


def test_no_filter_keeps_everything(tiny):
    assert len(apply_filters(tiny.stations, Filters())) == 6


def test_country_bureau_status_and_report(tiny):
    df = tiny.stations
    assert ids(apply_filters(df, Filters(countries=("IT",)))) == ["it-milan-qingtian", "it-milan-wenzhou", "it-sicily"]
    assert ids(apply_filters(df, Filters(countries=("NA",)))) == ["na-windhoek"]
    assert ids(apply_filters(df, Filters(bureaus=("Wenzhou", "Qingtian")))) == ["it-milan-qingtian", "it-milan-wenzhou"]
    assert ids(apply_filters(df, Filters(statuses=("closed",)))) == ["nl-netherlands"]
    assert len(apply_filters(df, Filters(reports=("110 Overseas (Sep 2022)",)))) == 3


def test_years_with_and_without_unknown(tiny):
    df = tiny.stations
    assert year_bounds(df) == (2016, 2018)
    assert ids(apply_filters(df, Filters(years=(2017, 2018), unknown_year=False))) == ["it-milan-qingtian"]
    assert len(apply_filters(df, Filters(years=(2017, 2018), unknown_year=True))) == 5
    assert len(apply_filters(df, Filters(unknown_year=False))) == 2


def test_text_search_is_folded_and_reaches_sources(tiny):
    df = tiny.stations
    assert ids(apply_filters(df, Filters(text="milan"))) == ["it-milan-qingtian", "it-milan-wenzhou"]
    assert ids(apply_filters(df, Filters(text="  PATROL persuade "))) == [
        "it-milan-qingtian",
        "it-milan-wenzhou",
        "it-sicily",
    ]
    assert ids(apply_filters(df, Filters(text="guardian sicily"))) == ["it-sicily"]
    assert apply_filters(df, Filters(text="nowhere-at-all")).empty


def test_url_round_trip_including_defaults(tiny):
    df = tiny.stations
    for f in [
        Filters(),
        Filters(
            countries=("IT", "NA"),
            bureaus=("Fuzhou",),
            years=(2016, 2017),
            unknown_year=False,
            statuses=("closed",),
            text="Milan",
            reports=("110 Overseas (Sep 2022)",),
            as_of="2023-06",
            extra={"basemap": "CARTO light"},
        ),
    ]:
        query = to_query(f)
        back, notes = from_query(query, df, extra_keys=("basemap",))
        assert back == f and back.extra == f.extra and notes == []
    assert to_query(Filters()) == {
        "country": "all",
        "bureau": "all",
        "status": "all",
        "report": "all",
        "evidence": "all",
        "years": "all",
        "unknown_year": "1",
    }


def test_a_link_with_unknown_values_says_what_it_left_out(tiny):
    back, notes = from_query({"country": ["IT", "ZZ"], "years": "soon", "q": "x" * 500}, tiny.stations)
    assert back.countries == ("IT",) and back.years is None and len(back.text) == 200
    assert notes == [
        "The link asks for country 'ZZ', which is not in the data; it was left out.",
        "The link's years 'soon' are not like 2016-2022; all years are shown.",
    ]


def test_filter_line(tiny):
    df = tiny.stations
    # Nothing filtered reads plainly; otherwise only what is filtered is named.
    assert filter_line(Filters(), df) == "All stations"
    assert filter_line(Filters(countries=("IT",), years=(2016, 2022), bureaus=("Fuzhou",)), df) == (
        "Country: Italy \u00b7 Bureau: Fuzhou \u00b7 Opened: 2016\u20132022 (and unknown)"
    )
    assert filter_line(Filters(unknown_year=False, statuses=("closed",)), df) == (
        "Opening year known \u00b7 Status: closed"
    )


def test_describe(tiny):
    df = tiny.stations
    italy = apply_filters(df, Filters(countries=("IT",)))
    assert describe(italy) == "Map of 3 alleged stations in Italy: 1 Qingtian, 1 Wenzhou, 1 unknown bureau."
    assert describe(df) == (
        "Map of 6 alleged stations in 4 countries: 3 Fuzhou, 1 Qingtian, 1 Wenzhou, "
        "1 unknown bureau. Most in: Italy 3, Namibia 1, Netherlands 1, Canada 1."
    )
    assert describe(df.iloc[:0]) == "Map with no alleged stations: no station matches the filters."


def test_every_hidden_row_is_accounted_for_by_its_filter(tiny):
    from geo.view.filters import hidden_by, hidden_words

    df = tiny.stations
    f = Filters(countries=("IT",), unknown_year=False)
    hidden = hidden_by(df, tiny.events, f)
    assert hidden == [("Opening year known", 4), ("Country", 3)]  # largest first
    total = len(df) - len(apply_filters(df, f))
    assert hidden_words(hidden, total) == "4 rows hidden by Opening year known (4), Country (3)"
    assert hidden_words(hidden_by(df, tiny.events, Filters(years=(2017, 2022))), 1) == "1 row hidden by Year opened"
    assert hidden_by(df, tiny.events, Filters()) == []


def test_a_new_file_brings_its_own_year_range(tiny):
    from geo.view.page import keep_known_choices

    state = {"years": (2016, 2018), "countries": ["IT", "XX"], "data_key": "curated"}
    later = tiny.stations.assign(year_opened=["2005", "2010", "2015", "", "", ""])
    keep_known_choices(state, later, "upload-1")
    assert state["years"] == (2005, 2015) and state["countries"] == ["IT"]
    state["years"] = (2008, 2012)  # the reader narrows it; the same file keeps their choice
    keep_known_choices(state, later, "upload-1")
    assert state["years"] == (2008, 2012)


def test_a_long_value_in_a_link_is_cut_in_the_message(tiny):
    _, notes = from_query({"country": "X" * 5000}, tiny.stations)
    assert len(notes) == 1 and len(notes[0]) < 160 and "\u2026" in notes[0]


def test_what_is_made_once_per_frame_leaves_with_the_frame():
    import gc

    import pandas as pd

    from geo.view import cache

    frame = pd.DataFrame({"year_opened": ["2018", "", "2020"]})
    assert year_bounds(frame) == (2018, 2020)
    assert year_bounds(frame) is year_bounds(frame)  # made once, then reused
    held = len(cache._MEMO)
    del frame
    gc.collect()
    assert len(cache._MEMO) == held - 1  # no copy of a dead frame is kept
