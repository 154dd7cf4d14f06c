"""Online geocoding, used only when asked (`geo.build --online`) and only for what the offline
gazetteer cannot place. Every answer is kept in a committed JSON cache, so later builds (and
CI) never need the network.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy.exc import GeopyError
from geopy.location import Location

USER_AGENT = "alleged-overseas-police-stations-map/1.0 (data-journalism; offline-first build)"


def write_json_atomically(path: Path, data: Any) -> None:
    """Temp file, fsync, os.replace: a crash leaves the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_cache(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        # Written atomically, so this is a hand edit gone wrong: say so, lose nothing.
        raise ValueError(f"{path.name} is not valid JSON: fix it by hand or delete it to start afresh") from None
    return data if isinstance(data, dict) else {}


class CachedGeocoder:
    """Wraps any geopy-style geocode callable with a persistent cache and a status per query.

    Results are "ok", "not found" or "error: <reason>". Errors are not cached, so a re-run
    resumes where the last one stopped.
    """

    def __init__(self, geocode: Callable[..., Location | None], cache_path: Path):
        self._geocode = geocode
        self.cache_path = cache_path
        self.cache = read_cache(cache_path)

    @staticmethod
    def key(query: str, country_code: str) -> str:
        return f"{country_code.upper()}|{query.strip().casefold()}"

    def lookup(self, query: str, country_code: str) -> tuple[str, tuple[float, float] | None]:
        key = self.key(query, country_code)
        if key in self.cache:
            hit = self.cache[key]
            return ("ok", (hit["lat"], hit["lon"])) if hit else ("not found", None)
        try:
            location = self._geocode(query, exactly_one=True, timeout=10, country_codes=country_code.lower())
        except (GeopyError, OSError, ValueError) as exc:
            return f"error: {type(exc).__name__}: {exc}", None
        self.cache[key] = (
            {"lat": location.latitude, "lon": location.longitude, "address": location.address} if location else None
        )
        write_json_atomically(self.cache_path, self.cache)
        return ("ok", (location.latitude, location.longitude)) if location else ("not found", None)


def nominatim_geocode(min_delay_seconds: float = 1.0) -> Callable[..., Location | None]:
    """Nominatim at 1 request/s at most, as its usage policy asks."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    return RateLimiter(
        Nominatim(user_agent=USER_AGENT).geocode,
        min_delay_seconds=min_delay_seconds,
        swallow_exceptions=False,
        max_retries=1,
    )


def reachable(url_template: str, timeout: float = 1.5) -> bool:
    """Whether a tile server answers at all (the app then offers its tiles; else the offline map)."""
    import urllib.error
    import urllib.request

    url = (
        url_template.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0").replace("{r}", "")
    )
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500  # a 403/405 to HEAD still proves the server is there
    except (OSError, ValueError):
        return False
