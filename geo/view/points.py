"""A journalist's own list, mapped as theirs: neutral words (no police, bureau or host response),
their category colouring the map with a colour-blind-safe palette, and a legend with counts."""

from __future__ import annotations

from collections import Counter

from geo.view.i18n import N_, NP_, words
from geo.view.mapping import WORDS as STATION_WORDS

# Okabe-Ito (colour-blind safe) for the largest categories; the rest share a grey "other".
PALETTE = ["#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]
OTHER = "#8C8C8C"
OTHER_KEY = "other named bureau"  # the key the map's script falls back to for an unlisted value
WORDS = {
    **STATION_WORDS,
    "kicker": "",
    "alleged_station": N_("point"),
    "bureau_unknown": N_("no category"),
    "bureau_named": "{b}",
    "Bureau": N_("Category"),
    "Opened": N_("Year"),
    "not_reported": N_("not given"),
    "Host_response": N_("Status"),
    "host_response": N_("status"),
    "First_reported": N_("First reported"),
    "legend_bureau": N_("Category:"),
    "n_here": NP_("{n} point here", "{n} points here"),
    "n_stations": NP_("{n} point", "{n} points"),
    "frame_title": NP_("Map of {n} point", "Map of {n} points"),
    "previous": N_("Previous point at this place"),
    "next": N_("Next point at this place"),
    "reader": {
        **STATION_WORDS["reader"],
        "bureau": N_("Category"),
        "status": N_("Status"),
        "showing": NP_("Showing {n} of {total} point", "Showing {n} of {total} points"),
        "n_alleged": NP_("{n} point", "{n} points"),
        "search_hint": N_("name, city, notes"),
    },
}
CLUSTER_NOTE = N_(
    "Rings group points at or near one place, coloured by category: click one (or press Enter) to see each."
)


def categories(counts: Counter, lang: str = "en", shown: int = len(PALETTE)) -> tuple[dict[str, str], list[dict]]:
    """Colours and legend entries: the largest categories by name, the rest as 'Other categories'."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked if len(ranked) <= shown + 1 else ranked[:shown]
    colours = {name: PALETTE[i % len(PALETTE)] for i, (name, _) in enumerate(top)}
    colours[OTHER_KEY] = OTHER
    legend = [{"key": name, "label": name, "count": int(n), "colour": colours[name]} for name, n in top]
    rest = sum(n for name, n in ranked[len(top) :])
    if rest:
        legend.append(
            {
                "key": OTHER_KEY,
                "label": words(lang).n("Other category ({n})", "Other categories ({n})", len(ranked) - len(top)),
                "count": rest,
                "colour": OTHER,
            }
        )
    return colours, legend
