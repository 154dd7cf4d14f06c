"""Bring your own data, safely: a journalist's CSV -> stations the map can show, plus every row
that needs attention, each problem naming file, spreadsheet row, column, value, rule and fix.

`read_upload` never raises on what is in the file and never drops a row silently: every data
row ends up in `stations` or in `attention`. Text stays text all the way to the map, which
escapes it (geo.mapping); links must pass `safe_url`, here and again when drawn.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

from geo.data import basemap
from geo.data.build import GEO_COLUMNS
from geo.data.dataset import attach_sources
from geo.data.gazetteer import Gazetteer
from geo.data.schema import KNOWN_BUREAUS, SOURCE_COLUMNS, STATION_COLUMNS, Problem
from geo.upload.citation import Citations
from geo.upload.decode import MAX_BYTES, MAX_ROWS, Refused, Table, read_table
from geo.upload.header import guess_column_map, resolve_map, source_slots
from geo.upload.row import RowReader

__all__ = ["MAX_BYTES", "MAX_ROWS", "UploadResult", "guess_column_map", "read_upload"]

OUTPUT_COLUMNS = STATION_COLUMNS + GEO_COLUMNS + ["label", "extra", "sources", "source_text", "search_blob", "history"]
STATIONS, POINTS = "stations", "points"
# Columns only a list of stations has: one of them, or bureau values that are bureaus, says so.
STATION_ONLY = ("station_id", "bureau", "status", "first_reported", "status_date", "bureau_detail", "source_ids")


@dataclass
class UploadResult:
    stations: pd.DataFrame  # good rows, shaped like geo.dataset's stations (sources attached)
    attention: pd.DataFrame  # "row", "problems", then every original column: nothing is lost
    problems: list[Problem]  # file-level first, then by row; any of them keeps a row off the map
    mapping_used: dict[str, str]  # our column -> their header
    notes: list[Problem] = field(default_factory=list)  # worth knowing, not blocking: shown apart
    reading: str = STATIONS  # stations (the map's own format) or points (a journalist's own list)

    @property
    def refused(self) -> bool:
        """Nothing could be read at all (empty, binary, a workbook, too big, ...)."""
        return self.stations.empty and self.attention.empty and bool(self.problems)


def display_name(filename: str) -> str:
    """The bare file name, fit to quote in a message (it comes from the user's machine)."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")[:80]
    return name or "upload.csv"


def describe(problem: Problem) -> str:
    """A problem without its file and row, for the attention table's "problems" cell."""
    column = f'column "{problem.column}": ' if problem.column else ""
    value = f"{problem.value!r}: " if problem.column or problem.value else ""
    return f"{column}{value}{problem.rule}. Fix: {problem.fix}"


def empty_stations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in OUTPUT_COLUMNS})


def attention_frame(table: Table | None, rows: list[tuple[int, list[str], list[Problem]]]) -> pd.DataFrame:
    header = table.header if table else []
    # Their columns keep their names, unless one is called "row" or "problems" like ours.
    names = [f"{h} (file)" if h in ("row", "problems") else h for h in header]
    records = []
    for number, cells, problems in rows:
        record = {"row": number, "problems": "; ".join(describe(p) for p in problems)}
        record.update({n: cells[i] if i < len(cells) else "" for i, n in enumerate(names)})
        if len(cells) > len(names):
            record["extra cells"] = " | ".join(cells[len(names) :])
        records.append(record)
    columns = ["row", "problems", *names] + (["extra cells"] if any("extra cells" in r for r in records) else [])
    return pd.DataFrame(records, columns=columns).fillna("")


def station_frame(records: list[dict], sources: list[dict]) -> pd.DataFrame:
    if not records:
        return empty_stations()
    stations = pd.DataFrame(records, columns=STATION_COLUMNS + GEO_COLUMNS + ["label", "extra"])
    out = attach_sources(stations, pd.DataFrame(sources, columns=SOURCE_COLUMNS))
    out["history"] = [[] for _ in range(len(out))]  # an upload has no dated events
    return out


def guess_reading(table: Table, mapping: dict[str, str]) -> str:
    """Stations when the file is in the map's format (a station-only column, or a category whose
    values are bureaus); any other list is the reader's own points."""
    if any(c in mapping for c in STATION_ONLY):
        return STATIONS
    if "category" in mapping:
        i = table.header.index(mapping["category"])
        values = {r[i].strip() for _, r in table.rows if i < len(r) and r[i].strip()}
        bureaus = {b.casefold() for b in KNOWN_BUREAUS + ["unknown"]}
        if values and sum(v.casefold() in bureaus for v in values) >= 0.8 * len(values):
            return STATIONS
    return POINTS


def read_upload(
    data: bytes,
    filename: str,
    gazetteer: Gazetteer,
    column_map: dict[str, str] | None = None,
    reading: str | None = None,
    extra: list[str] | None = None,
) -> UploadResult:
    """Read an uploaded CSV (ours or a journalist's own) into stations and rows needing attention.
    `reading` (stations | points) overrides the guess; `extra` names columns to carry along."""
    name = display_name(filename)
    try:
        table = read_table(data, name)
    except Refused as refused:
        return UploadResult(empty_stations(), attention_frame(None, []), [refused.problem], {})
    mapping, file_problems, header_notes = resolve_map(table.header, column_map, name)
    notes = table.notes + header_notes
    if file_problems:
        see = [
            Problem(
                name,
                None,
                "",
                "",
                "not read: " + "; ".join(p.rule for p in file_problems),
                "fix the file-level problem first",
            )
        ]
        rows = [(number, cells, see) for number, cells in table.rows]
        return UploadResult(empty_stations(), attention_frame(table, rows), file_problems, mapping, notes)

    reader = RowReader(name, table, mapping, source_slots(mapping), gazetteer, basemap.country_points())
    reader.reading = reading if reading in (STATIONS, POINTS) else guess_reading(table, mapping)
    reader.extra = [h for h in (extra or []) if h in table.header]
    citations = Citations()
    good, bad, row_problems, row_notes = [], [], [], []
    for number, cells in table.rows:
        outcome = reader.read(number, cells)
        row_notes += outcome.notes
        if outcome.problems:
            bad.append((number, cells, outcome.problems))
            row_problems += outcome.problems
        else:
            good.append(citations.keep(outcome.record, outcome.refs))
    notes += source_notes(name, mapping, good)
    return UploadResult(
        station_frame(good, citations.all()),
        attention_frame(table, bad),
        row_problems,
        mapping,
        notes + row_notes,
        reader.reading,
    )


def source_notes(name: str, mapping: dict[str, str], good: list[dict]) -> list[Problem]:
    """One note, not one per row, when stations will show no source."""
    has_columns = bool(source_slots(mapping))
    if not has_columns and "source_ids" in mapping:
        return [
            Problem(
                name,
                None,
                mapping["source_ids"],
                "",
                "the file names source ids but has no source columns, so the map cannot show the sources",
                "upload the map's own CSV download (it has source_1_url, source_1_title, ...) or "
                "add source_url, source_title and source_publisher columns",
            )
        ]
    if not has_columns:
        return (
            [
                Problem(
                    name,
                    None,
                    "",
                    "",
                    "the file has no source columns, so no station shows a source",
                    "add source_url (and source_title, source_publisher) columns: every point "
                    "should be traceable to a report",
                )
            ]
            if good
            else []
        )
    missing = [r["_row"] for r in good if not r["source_ids"]]
    if not missing:
        return []
    shown = ", ".join(map(str, missing[:10])) + (", ..." if len(missing) > 10 else "")
    return [
        Problem(
            name,
            None,
            "",
            "",
            f"{len(missing)} row{'s have' if len(missing) > 1 else ' has'} no "
            f"source (row{'s' if len(missing) > 1 else ''} {shown})",
            "fill in a source for each station, so every point is traceable",
        )
    ]
