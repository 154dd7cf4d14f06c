"""Downloads: formula-safe CSV, GeoJSON, and a zip with a README that says how to cite."""

from __future__ import annotations

import io
import json
import textwrap
import zipfile

import pandas as pd

from geo.data.schema import FORMULA_START, NUMBER, STATION_COLUMNS
from geo.view.i18n import N_, words

SOURCE_KEYS = ("publisher", "title", "date", "url", "kind")
LONG_SOURCE_COLUMNS = ["station_id", "n", "source_id", "publisher", "title", "date", "url", "kind", "language"]


def safe_cell(value: object) -> object:
    """Prefix ' to text a spreadsheet would run as a formula; leave real numbers alone."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def flat_table(view: pd.DataFrame) -> pd.DataFrame:
    """One row per station, its sources in numbered columns: as many as the station citing the
    most needs, one value per cell (the long sources table in the zip has them one per row)."""
    base = [c for c in STATION_COLUMNS + ["lat", "lon", "geocode_source"] if c in view.columns]
    out = view[base].copy()
    width = max([len(s) for s in view["sources"]] + [1])
    for i in range(width):
        for key in SOURCE_KEYS:
            out[f"source_{i + 1}_{key}"] = [refs[i].get(key, "") if i < len(refs) else "" for refs in view["sources"]]
    return out


def long_sources(view: pd.DataFrame) -> pd.DataFrame:
    """One row per station and source it cites, in citation order."""
    rows = [
        {"station_id": sid, "n": n, **{k: s.get(k, "") for k in LONG_SOURCE_COLUMNS[2:]}}
        for sid, refs in zip(view["station_id"], view["sources"])
        for n, s in enumerate(refs, start=1)
    ]
    return pd.DataFrame(rows, columns=LONG_SOURCE_COLUMNS)


def long_events(view: pd.DataFrame) -> pd.DataFrame:
    """The dated events of the stations in view, one per row, with their source ids."""
    columns = ["station_id", "date", "event", "actor", "summary", "source_ids"]
    rows = [{c: e.get(c, "") for c in columns} for h in view.get("history", []) for e in h]
    return pd.DataFrame(rows, columns=columns)


def csv_bytes(table: pd.DataFrame) -> bytes:
    return table.map(safe_cell).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_csv(view: pd.DataFrame) -> bytes:
    return csv_bytes(flat_table(view))


def to_geojson(view: pd.DataFrame) -> bytes:
    features = []
    for row in flat_table(view).to_dict("records"):
        lat, lon = float(row.pop("lat")), float(row.pop("lon"))
        features.append(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": row}
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1).encode("utf-8")


README_HEAD = N_("Alleged Chinese overseas police \u2018service stations\u2019: filtered export")
README_BODY = N_(
    "Each row is one station that one or more published sources allege exists; the source_N_* "
    "columns name them (sources.csv lists them again, one per row; events.csv gives each station's "
    "dated history, with source ids). \u2018Alleged\u2019 matters: China denies that these are police "
    "stations. Location precision (address, city, region, country) says how exactly a source places "
    "the station; region and country rows are not street locations. The data's columns and values are "
    "in English; notes and source titles are in the language they were published in."
)
README_CREDIT = N_(
    "Place coordinates: GeoNames (CC BY 4.0) and the project's curated places list. Cells that began "
    "with = + - @ were prefixed with \u2019 so spreadsheets show them as text."
)


def readme(data_date: str, filter_line: str, count: int, version: str = "", lang: str = "en") -> str:
    """The zip's README.txt, in the reader's language; lines kept short for any text editor."""
    w = words(lang)
    lines = [w.t(README_HEAD), ""]
    lines.append(w.t(N_("Data as of: {date}")).format(date=data_date))
    if version:
        lines.append(w.t(N_("Data version: {version} (hash of the seed files)")).format(version=version))
    lines.append(w.t(N_("Filters: {line}")).format(line=filter_line))
    lines.append(w.n("Stations in this file: {n}", "Stations in this file: {n}", count))
    wrap = 0 if lang == "zh" else 92  # Chinese has no spaces to break at
    for para in (README_BODY, README_CREDIT):
        lines.append("")
        text = w.t(para)
        lines += textwrap.wrap(text, wrap) if wrap else [text]
    return "\n".join(lines) + "\n"


def to_zip(view: pd.DataFrame, data_date: str, filter_line: str, version: str = "", lang: str = "en") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("stations.csv", to_csv(view))
        z.writestr("sources.csv", csv_bytes(long_sources(view)))
        events = long_events(view)
        if len(events):
            z.writestr("events.csv", csv_bytes(events))
        z.writestr("stations.geojson", to_geojson(view))
        z.writestr("README.txt", readme(data_date, filter_line, len(view), version, lang))
    return buffer.getvalue()
