"""A journalist's own list, mapped as theirs: neutral words (no police, bureau or host response),
their category colouring the map with a colour-blind-safe palette, and a legend with counts."""

from __future__ import annotations

from collections import Counter

from geo.view.mapping import WORDS as STATION_WORDS

# Okabe-Ito (colour-blind safe) for the largest categories; the rest share a grey "other".
PALETTE = ["#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]
OTHER = "#8C8C8C"
OTHER_KEY = "other named bureau"  # the key the map's script falls back to for an unlisted value
WORDS = {
    **STATION_WORDS,
    "kicker": "",
    "alleged_station": "point",
    "bureau_unknown": "no category",
    "bureau_named": "{b}",
    "Bureau": "Category",
    "Opened": "Year",
    "not_reported": "not given",
    "Host_response": "Status",
    "host_response": "status",
    "First_reported": "First reported",
    "legend_bureau": "Category:",
    "n_here": "{n} points here",
    "n_stations": "{n} points",
    "one_station": "1 point",
    "frame_title": "Map of {n} points",
    "previous": "Previous point at this place",
    "next": "Next point at this place",
    "reader": {
        **STATION_WORDS["reader"],
        "bureau": "Category",
        "status": "Status",
        "showing": "Showing {n} of {total} points",
        "n_alleged": "{n} points",
        "one_alleged": "1 point",
        "search_hint": "name, city, notes",
    },
}
CLUSTER_NOTE = "Rings group points at or near one place, coloured by category: click one (or press Enter) to see each."


def categories(counts: Counter, shown: int = len(PALETTE)) -> tuple[dict[str, str], list[dict]]:
    """Colours and legend entries: the largest categories by name, the rest as 'Other categories'."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked if len(ranked) <= shown + 1 else ranked[:shown]
    colours = {name: PALETTE[i % len(PALETTE)] for i, (name, _) in enumerate(top)}
    colours[OTHER_KEY] = OTHER
    legend = [{"key": name, "label": name, "count": int(n), "colour": colours[name]} for name, n in top]
    rest = sum(n for name, n in ranked[len(top) :])
    if rest:
        legend.append(
            {"key": OTHER_KEY, "label": f"Other categories ({len(ranked) - len(top)})", "count": rest, "colour": OTHER}
        )
    return colours, legend
