"""Station histories: the events loader (every rule, pinned wording), status derivation, the
as-of filter, evidence strength and the What-changed table."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data import history
from geo.data.dataset import attach_history, attach_sources
from geo.data.schema import DataError, read_seeds
from geo.view import filters as flt
from geo.view import history as view_history

HEADER = "station_id,date,event,actor,summary,source_ids\n"


def events_problems(seed_dir, rows: str) -> list[str]:
    (seed_dir / "events.csv").write_text(HEADER + rows, encoding="utf-8")
    stations, sources, _ = read_seeds(seed_dir)
    with pytest.raises(DataError) as caught:
        history.read_events(seed_dir, stations, sources)
    return [str(p) for p in caught.value.problems]


def test_every_broken_event_rule_is_reported_together_with_pinned_wording(seed_dir):
    good = (seed_dir / "events.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    text = events_problems(
        seed_dir,
        good
        + "xx-nowhere,2023-01,closed,Police,Closed.,sd-2022-09-12\n"
        + "na-windhoek,2023-13-01,raided,Police,Raided.,sd-2022-09-12\n"
        + "na-windhoek,2023-02,arrested,Police,Arrested.,sd-2022-09-12\n"
        + "na-windhoek,2023-03,investigated,Police,Looked into it.,\n"
        + "na-windhoek,2023-04,investigated,Police,Again.,no-such-source\n",
    )
    assert (
        "events.csv, row 11, column \"station_id\": 'xx-nowhere': no station with this id in stations.csv. "
        "Fix: correct the id, or add the station to stations.csv first"
    ) in text
    assert (
        "events.csv, row 12, column \"date\": '2023-13-01': date is YYYY, YYYY-MM or YYYY-MM-DD, as precise as "
        "the source, and not in the future. Fix: write the date the source gives, e.g. 2023-06 or 2023-06-01"
    ) in text
    assert any(
        line.startswith("events.csv, row 13, column \"event\": 'arrested': must be one of opened,") for line in text
    )
    assert (
        "events.csv, row 14, column \"source_ids\": '': every event needs at least one source. "
        "Fix: add the source_id of the report that gives this event"
    ) in text
    assert (
        "events.csv, row 15, column \"source_ids\": 'no-such-source': this source_id is not in sources.csv. "
        "Fix: add the source to sources.csv or correct the id"
    ) in text
    assert len(text) == 5


def test_a_station_without_its_first_report_is_named(seed_dir):
    rows = [r for r in (seed_dir / "events.csv").read_text().splitlines()[1:] if not r.startswith("it-sicily")]
    text = events_problems(seed_dir, "\n".join(rows) + "\n")
    assert text == [
        "stations.csv, row 4, column \"station_id\": 'it-sicily': every station has exactly one 'reported' event "
        "in events.csv (its first public report); this one has 0. Fix: add one row to events.csv: "
        "it-sicily,<date>,reported,<who reported it>,<one sentence>,<source_ids>"
    ]


def test_events_out_of_order_are_refused_with_what_they_contradict(seed_dir):
    good = (seed_dir / "events.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    text = events_problems(
        seed_dir,
        good
        + "na-windhoek,2023-05-02,convicted,Court,Convicted.,sd-2022-09-12\n"
        + "na-windhoek,2023-06-01,charged,Prosecutor,Charged.,sd-2022-09-12\n",
    )
    assert text == [
        "events.csv, row 11, column \"event\": 'convicted': convicted on 2023-05-02 for na-windhoek must come "
        "after charged: it contradicts row 12 (charged on 2023-06-01). Fix: check both dates against their "
        "sources, or add the missing event"
    ]


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["station_id", "date", "event", "actor", "summary", "source_ids"])


def test_status_is_the_latest_action_and_denials_and_lawsuits_do_not_count():
    events = frame(
        [
            ("a", "2022-09", "reported", "Safeguard Defenders", "", "s"),
            ("a", "2022-10-26", "investigated", "RCMP", "", "s"),
            ("a", "2023-06", "closed", "RCMP", "", "s"),
            ("a", "2024-03-06", "lawsuit", "the centre", "", "s"),
            ("b", "2022-12", "reported", "Safeguard Defenders", "", "s"),
            ("b", "2023-04-17", "charged", "US DOJ", "", "s"),
            ("b", "2024-12-18", "pleaded guilty", "EDNY", "", "s"),
            ("b", "2024-12-19", "denied", "China", "", "s"),
            ("c", "2023-06-15", "reported", "Yonhap News TV", "", "s"),
        ]
    )
    status = history.status_as_of(events)
    assert status.loc["a"].tolist() == ["closed", "2023-06"]
    assert status.loc["b"].tolist() == ["convicted", "2024-12-18"]
    assert "c" not in status.index
    assert history.status_as_of(events, "2023-05").loc["a"].tolist() == ["investigated", "2022-10-26"]
    # 'in the fall of 2022' is dated 2022: it sorts after dated 2022 events and counts from December
    fall = frame(
        [
            ("d", "2022-02-15", "opened", "x", "", "s"),
            ("d", "2022", "closed", "FBI", "", "s"),
            ("d", "2022-10-26", "investigated", "FBI", "", "s"),
        ]
    )
    assert history.status_as_of(fall).loc["d"].tolist() == ["closed", "2022"]
    assert history.status_as_of(fall, "2022-11").loc["d"].tolist() == ["investigated", "2022-10-26"]
    assert history.report_label("Safeguard Defenders", "2022-09-12") == "110 Overseas (Sep 2022)"
    assert history.report_label("Safeguard Defenders", "2022-12") == "Patrol and Persuade (Dec 2022)"
    assert history.report_label("Yonhap News TV (via Dailymotion)", "2023-06-15") == "Yonhap News TV (Jun 2023)"


def test_as_of_drops_stations_not_yet_reported_and_rewinds_status(tiny):
    events = tiny.events
    # ca-scarborough: reported Sep 2022, investigated Oct 2022; it-milan-*: reported Dec 2022.
    nov = flt.at_month(tiny.stations, events, "2022-11")
    assert "it-milan-wenzhou" not in set(nov["station_id"]) and "ca-scarborough" in set(nov["station_id"])
    sep = flt.at_month(tiny.stations, events, "2022-09").set_index("station_id")
    assert sep.at["ca-scarborough", "status"] == "none reported"
    assert sep.at["nl-netherlands", "status"] == "none reported"
    assert nov.set_index("station_id").at["nl-netherlands", "status"] == "closed"
    assert all(len(h) == 1 for h in sep["history"])  # the history stops at the month too
    assert len(flt.view_of(tiny.stations, events, flt.Filters(as_of="2022-12"))) == len(tiny.stations)


def test_as_of_round_trips_through_the_url_and_a_bad_one_is_named(tiny):
    f = flt.Filters(as_of="2023-03", evidence=(tiny.stations["evidence"].iloc[0],))
    back, notes = flt.from_query(flt.to_query(f), tiny.stations)
    assert back.as_of == "2023-03" and notes == []
    _, notes = flt.from_query({"asof": "March" * 50}, tiny.stations)
    assert notes and len(notes[0]) < 140 and "\u2026" in notes[0]


def test_evidence_strength_comes_from_the_sources():
    stations = pd.DataFrame({"station_id": ["gov", "two", "one"], "source_ids": ["n1", "n1;n2", "n1"]})
    sources = pd.DataFrame(
        {
            "source_id": ["n1", "n2", "g1"],
            "publisher": ["Paper A", "Paper B", "Ministry"],
            "kind": ["news", "news", "government"],
        }
    )
    events = frame([("gov", "2023", "closed", "Ministry", "", "g1"), ("one", "2022", "reported", "A", "", "n1")])
    assert history.evidence(stations, events, sources).tolist() == [
        "official source",
        "several outlets",
        "single outlet",
    ]


def test_what_changed_is_newest_first_from_the_chosen_month(tiny):
    table = view_history.changes(tiny.stations, "2022-11")
    # a date known only to its month sorts at the end of that month
    assert list(table["Date"]) == ["2022-12-05", "2022-12-05", "2022-12-05", "2022-11", "2022-11-01"]
    assert table.iloc[3]["Station"] == "na-windhoek" and table.iloc[3]["Event"] == "investigated"
    assert table.iloc[0]["Links"].startswith("https://")
    assert view_history.default_since(tiny.stations) == "2022-01"
    reported, by_type = view_history.timeline(tiny.stations)
    assert int(reported.sum().iloc[0]) == len(tiny.stations)
    assert by_type.loc["2022-11"].to_dict() == {"investigated": 1, "closed": 1}


def test_history_is_attached_with_its_sources(tiny):
    stations = attach_history(
        attach_sources(tiny.stations.drop(columns="history"), tiny.sources), tiny.events, tiny.sources
    )
    ca = stations.set_index("station_id").at["ca-scarborough", "history"]
    assert [e["event"] for e in ca] == ["reported", "investigated"]
    assert ca[1]["sources"][0]["publisher"] == "Safeguard Defenders"


def test_the_as_of_range_runs_from_the_first_report_to_the_last_event():
    dates = ["2016-05", "2022-09-12", "2023", "2024-02-02"]
    assert history.timeline_months(dates, ["2022-09-12"])[:2] == ["2022-09", "2022-10"]
    assert history.timeline_months(dates, ["2022-09-12"])[-1] == "2024-02"
    assert history.timeline_months([], []) == []
