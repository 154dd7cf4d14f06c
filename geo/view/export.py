"""Downloads: formula-safe CSV, GeoJSON, and a zip with a README that says how to cite."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd

from geo.data.schema import FORMULA_START, NUMBER, STATION_COLUMNS

MAX_SOURCES = 6  # columns per source in the flat table; more are joined into the last


def safe_cell(value: object) -> object:
    """Prefix ' to text a spreadsheet would run as a formula; leave real numbers alone."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def flat_table(view: pd.DataFrame) -> pd.DataFrame:
    """One row per station, its sources flattened to readable numbered columns."""
    base = [c for c in STATION_COLUMNS + ["lat", "lon", "geocode_source"] if c in view.columns]
    out = view[base].copy()
    width = max([len(s) for s in view["sources"]] + [1])
    width = min(width, MAX_SOURCES)
    for i in range(width):
        for key in ("publisher", "title", "date", "url"):
            column = []
            for refs in view["sources"]:
                if i < width - 1 or len(refs) <= width:
                    column.append(refs[i][key] if i < len(refs) else "")
                else:  # too many sources for the columns: keep them all, joined
                    column.append(" | ".join(r[key] for r in refs[i:]))
            out[f"source_{i + 1}_{key}"] = column
    return out


def to_csv(view: pd.DataFrame) -> bytes:
    table = flat_table(view).map(safe_cell)
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_geojson(view: pd.DataFrame) -> bytes:
    features = []
    for row in flat_table(view).to_dict("records"):
        lat, lon = float(row.pop("lat")), float(row.pop("lon"))
        features.append(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": row}
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1).encode("utf-8")


def readme(data_date: str, filter_line: str, count: int, version: str = "") -> str:
    return (
        f"Alleged Chinese overseas police 'service stations': filtered export\n\n"
        f"Data as of: {data_date}\n"
        + (f"Data version: {version} (hash of the seed files)\n" if version else "")
        + f"Filters: {filter_line}\nStations in this file: {count}\n\n"
        "Each row is one station that one or more published sources allege exists; the\n"
        "source_N_* columns name them. 'Alleged' matters: China denies that these are police\n"
        "stations. Location precision (address, city, region, country) says how exactly a\n"
        "source places the station; region and country rows are not street locations.\n\n"
        "Place coordinates: GeoNames (CC BY 4.0) and the project's curated places list.\n"
        "Cells that began with = + - @ were prefixed with ' so spreadsheets show them as text.\n"
    )


def to_zip(view: pd.DataFrame, data_date: str, filter_line: str, version: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("stations.csv", to_csv(view))
        z.writestr("stations.geojson", to_geojson(view))
        z.writestr("README.txt", readme(data_date, filter_line, len(view), version))
    return buffer.getvalue()
