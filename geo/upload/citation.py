"""The sources an upload cites: inline columns (source_url, or source_1_url... as our download
writes them) checked with the loader's rules, then given ids unique in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from geo.data.schema import SOURCE_KINDS, SOURCE_RULES, safe_url
from geo.upload.header import SOURCE_KEYS

JOINED = re.compile(r" ?\| ?")
PLAIN_WORDS = re.compile(r"[^:/\\@.]+")  # "Reuters" in a link column: a name, not a bad link

# Links repeat across rows (one report, many stations): judge each once.
is_safe = lru_cache(maxsize=8192)(safe_url)

Flag = Callable[[str, str, str, str], None]  # (column, value, rule, fix)


def split_joined(values: dict[str, str]) -> list[dict[str, str]]:
    """Our download joins sources beyond its last column with " | ": split them again (a cell
    whose parts do not line up with the links stays whole, on the first source)."""
    parts = {k: JOINED.split(v) for k, v in values.items()}
    n = len(parts["url"])
    if n < 2:
        return [values]
    parts = {k: [p.strip() for p in v] if len(v) == n else [values[k]] + [""] * (n - 1) for k, v in parts.items()}
    return [{k: parts[k][i] for k in values} for i in range(n)]


def check_source(one: dict[str, str], slot: dict[str, str], flag: Flag) -> dict[str, str]:
    """The source with kind and language normalised; every bad cell reported through `flag`.
    Only links that pass safe_url are kept as links; the map checks them again when drawn."""
    url = one["url"]
    if url and not is_safe(url):
        spare = next((k for k in ("publisher", "title") if not one[k]), None)
        if PLAIN_WORDS.fullmatch(url) and spare:
            one[spare], one["url"] = url, ""
        else:
            flag(slot["url"], url, *SOURCE_RULES["url"](url, {}))
    if one["kind"] and one["kind"].casefold() in SOURCE_KINDS:
        one["kind"] = one["kind"].casefold()
    elif one["kind"]:
        flag(slot["kind"], one["kind"], *SOURCE_RULES["kind"](one["kind"], {}))
    if one["language"] and not SOURCE_RULES["language"](one["language"].lower(), {}):
        one["language"] = one["language"].lower()
    elif one["language"]:
        flag(slot["language"], one["language"], *SOURCE_RULES["language"](one["language"], {}))
    if not one["publisher"] and is_safe(one["url"]):
        one["publisher"] = (urlsplit(one["url"]).hostname or "").removeprefix("www.")
    return one


class Citations:
    """Sources of the good rows, each under one id: the file's own when it gave one."""

    def __init__(self) -> None:
        self._sources: dict[str, dict] = {}
        self._by_content: dict[tuple, str] = {}

    def register(self, given: str, source: dict) -> str:
        content = tuple(source[k] for k in SOURCE_KEYS)
        if not given and content in self._by_content:
            return self._by_content[content]
        base = given or f"upload-{len(self._sources) + 1}"
        sid, k = base, 1
        # One id, two different sources (a copy-paste slip): keep both, the second renamed.
        while sid in self._sources and tuple(self._sources[sid][c] for c in SOURCE_KEYS) != content:
            k += 1
            sid = f"{base}-{k}"
        self._sources.setdefault(sid, {"source_id": sid, **source})
        self._by_content.setdefault(content, sid)
        return sid

    def keep(self, record: dict, refs: list[tuple[str, dict]]) -> dict:
        """A good row's record with source_ids pointing at its registered sources."""
        ids = [self.register(given, source) for given, source in refs]
        return {**record, "source_ids": ";".join(ids) if ids else record["source_ids"]}

    def all(self) -> list[dict]:
        return list(self._sources.values())
