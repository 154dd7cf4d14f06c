"""The stations as the browser receives them: columns, not records, and deflated when large.

Column-wise JSON states each field name once, and a field with few distinct values (country,
bureau, status, report...) travels as a table of values plus one small integer per station.
Sources are a shared table that stations point into. Above `PACK_ABOVE` stations the columns
are deflated and base64-encoded, which also makes the bytes in the page inert by construction.
`decode` is the Python mirror of what geo/assets/stations.js does with it (tests, benchmark).
"""

from __future__ import annotations

import base64
import json
import os
import re
import zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from itertools import chain

import numpy as np
import pandas as pd

from geo.data.schema import safe_url

# name in the browser -> column of the stations frame
FIELDS = {
    "id": "station_id",
    "city": "city",
    "region": "region",
    "country": "country",
    "cc": "country_code",
    "precision": "precision",
    "bureau": "bureau",
    "bureau_detail": "bureau_detail",
    "year": "year_opened",
    "status": "status",
    "status_date": "status_date",
    "first_reported": "first_reported",
    "evidence": "evidence",
    "notes": "notes",
    "label": "label",
}

linkable = safe_url  # cached in geo.stations: each URL is judged once per process


def encode_column(values: pd.Series) -> list | dict:
    """A plain list, or {"v": distinct values, "k": index per station} when that is smaller."""
    if len(values) < 5_000:  # pandas' fixed cost per call outweighs a Python pass on short columns
        items = values.tolist()
        if not all(isinstance(v, str) for v in items):
            items = ["" if pd.api.types.is_scalar(v) and pd.isna(v) else v for v in items]
        seen: dict = {}
        codes = [seen.setdefault(v, len(seen)) for v in items]
        if 2 * len(seen) <= len(items):
            return {"v": list(seen), "k": codes}
        return items
    if values.hasnans:
        values = values.fillna("")
    codes, uniques = pd.factorize(values)
    if 2 * len(uniques) <= len(values):
        return {"v": uniques.tolist(), "k": codes.tolist()}
    return values.tolist()


def counts(column: list | dict) -> Counter:
    """How many stations have each value of an encoded column."""
    if isinstance(column, dict):
        return Counter({column["v"][k]: n for k, n in Counter(column["k"]).items()})
    return Counter(column)


def source_refs(view: pd.DataFrame) -> tuple[list[int], list[int], list[list[str]], dict]:
    """One table of [publisher, title, date, url or "", kind] and, flattened, every station's indexes
    into it: station i cites refs[at[i]:at[i + 1]]. Vectorised: Python touches each distinct
    source once, not each citation (the loaded dataset shares one dict per source). Also the
    table's index by content, so events can point into the same table."""
    per_station = view["sources"].tolist()
    at = np.zeros(len(per_station) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, per_station), dtype=np.int64, count=len(per_station)), out=at[1:])
    flat = list(chain.from_iterable(per_station))
    table: list[list[str]] = []
    by_key: dict[tuple, int] = {}
    if not flat:
        return [], at.tolist(), table, by_key
    codes, uniques = pd.factorize(np.fromiter(map(id, flat), dtype=np.int64, count=len(flat)))
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # where each object first appears
    remap = np.empty(len(uniques), dtype=np.int64)
    for u, j in enumerate(first.tolist()):
        remap[u] = source_index(flat[j], table, by_key)
    return remap[codes].tolist(), at.tolist(), table, by_key


def source_index(s: dict, table: list[list[str]], by_key: dict[tuple, int]) -> int:
    key = (s["publisher"], s["title"], s["date"], s["url"], s.get("kind", ""))
    i = by_key.get(key)
    if i is None:
        i = by_key[key] = len(table)
        table.append([s["publisher"], s["title"], s["date"], s["url"] if linkable(s["url"]) else "", s.get("kind", "")])
    return i


def history_columns(view: pd.DataFrame, table: list[list[str]], by_key: dict[tuple, int]) -> dict:
    """Each station's events as [date, event, actor, summary, [source indexes]], flattened like
    the sources: station i's events are ev[ev_at[i]:ev_at[i + 1]]."""
    rows, at = [], [0]
    for history in view["history"] if "history" in view else [[]] * len(view):
        for e in history:
            refs = [source_index(s, table, by_key) for s in e["sources"]]
            rows.append([e["date"], e["event"], e["actor"], e["summary"], refs])
        at.append(len(rows))
    return {"ev": rows, "ev_at": at}


def station_columns(view: pd.DataFrame) -> dict:
    blank = pd.Series([""] * len(view), index=view.index, dtype=object)
    cols: dict = {name: encode_column(view[c] if c in view else blank) for name, c in FIELDS.items()}
    if "as_reported" in view:  # the place as reported, when it is shown in another language: searchable
        cols["as_reported"] = encode_column(view["as_reported"])
    cols["lat"] = view["lat"].astype(float).round(5).tolist()
    cols["lon"] = view["lon"].astype(float).round(5).tolist()
    cols["src"], cols["src_at"], cols["sources"], by_key = source_refs(view)
    cols.update(history_columns(view, cols["sources"], by_key))
    if "extra" in view and any(len(x) for x in view["extra"]):
        cols["extra"] = [list(x) for x in view["extra"]]  # [[their column, value], ...] per row
    return cols


CHUNK = 4 << 20  # bytes compressed per thread


def _deflate(part: bytes, last: bool) -> bytes:
    z = zlib.compressobj(1, zlib.DEFLATED, -15)  # raw deflate, fastest level
    return z.compress(part) + z.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def pack(value, text: str | None = None) -> str:
    """Deflated JSON in base64: only A-Z a-z 0-9 + / = reach the page, whatever the data says.

    Chunks are deflated in parallel (zlib releases the GIL) and joined as pigz does: every chunk
    but the last ends in a sync flush, so the pieces form one raw deflate stream."""
    raw = (text if text is not None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))).encode("utf-8")
    parts = [raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK)] or [b""]
    last = [i == len(parts) - 1 for i in range(len(parts))]
    if len(parts) == 1:
        deflated = [_deflate(parts[0], True)]
    else:
        with ThreadPoolExecutor(max_workers=min(len(parts), os.cpu_count() or 1)) as pool:
            deflated = list(pool.map(_deflate, parts, last))
    return base64.b64encode(b"".join(deflated)).decode("ascii")


def unpack(text: str):
    return json.loads(zlib.decompress(base64.b64decode(text), -15).decode("utf-8"))


def decode(script: str) -> dict:
    """The payload of a rendered map (an HTML page, a script, or the bare JSON) with the
    stations as records again: {"stations": [{"id", "city", ..., "sources": [i...]}], "sources": table, ...}."""
    match = re.search(r"var data = (\{.*?\});\n", script)
    data = json.loads(match.group(1) if match else script)
    cols = unpack(data.pop("packed")) if "packed" in data else data.pop("cols")

    def values(c) -> list:
        return [c["v"][k] for k in c["k"]] if isinstance(c, dict) else c

    fields = {name: values(cols[name]) for name in FIELDS}
    refs, at = cols["src"], cols["src_at"]
    data["stations"] = [
        {
            **{name: fields[name][i] for name in FIELDS},
            "lat": cols["lat"][i],
            "lon": cols["lon"][i],
            "sources": refs[at[i] : at[i + 1]],
        }
        for i in range(data["n"])
    ]
    data["sources"] = cols["sources"]
    return data
