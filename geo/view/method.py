"""The Methodology a reader can follow in the app: the reports and China's denial as links, the
editorial rules and the unidentified list from seeds/README.md, and the data's version."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from geo.data.schema import safe_url
from geo.view.i18n import N_, words

README = Path(__file__).resolve().parent.parent.parent / "seeds" / "README.md"
# Sources (by id in seeds/sources.csv, so every link is one we read) a reader should be able to open.
KEY_SOURCES = [
    (N_("110 Overseas (Safeguard Defenders, 12 Sep 2022), summary reposted"), "kinaforum-2022-10-03"),
    (N_("Safeguard Defenders on the governments investigating (7 Nov 2022)"), "safeguarddefenders-2022-11-07"),
    (N_("Patrol and Persuade (Safeguard Defenders, 5 Dec 2022)"), "safeguarddefenders-2022-12-05"),
    (N_("China denies: Foreign Ministry spokesperson (Global Times, 26 Oct 2022)"), "globaltimes-2022-10-26"),
    (N_("China denies: \u201cno Chinese police work there\u201d (Global Times, 2 Nov 2022)"), "globaltimes-2022-11-02"),
]
SECTIONS = (N_("Editorial rules"), N_("Unidentified"))  # from seeds/README.md, in English (see the app's note)


def key_links(sources: pd.DataFrame, lang: str = "en") -> str:
    """Markdown list of the key sources; a link only where the URL passes our checks."""
    urls = dict(zip(sources["source_id"], sources["url"]))
    lines = []
    w = words(lang)
    for msg, sid in KEY_SOURCES:
        label = w.t(msg)
        url = urls.get(sid, "")
        lines.append(f"- [{label}]({url})" if safe_url(url) and ")" not in url else f"- {label}")
    return "\n".join(lines)


def readme_section(title: str, text: str | None = None) -> str:
    """One section of seeds/README.md (a '## ' or '### ' heading, or a bold '**...**' paragraph
    heading), up to the next heading of the same or a higher level."""
    text = README.read_text(encoding="utf-8") if text is None else text
    match = re.search(rf"^(#{{2,3}}) {re.escape(title)}\n", text, flags=re.M)
    if match:
        level = len(match.group(1))
        rest = text[match.end() :]
        end = re.search(rf"^#{{2,{level}}} ", rest, flags=re.M)
        return rest[: end.start() if end else len(rest)].strip()
    match = re.search(rf"^\*\*{re.escape(title)}\.?\*\*\n", text, flags=re.M)
    if match:
        rest = text[match.end() :]
        end = re.search(r"^(\*\*|#)", rest, flags=re.M)
        return rest[: end.start() if end else len(rest)].strip()
    return ""


def version_line(data_date: str, version: str, lang: str = "en") -> str:
    w = words(lang)
    if version:
        return w.t(N_("Data as of {date}, version {version} (hash of the seed files)")).format(
            date=data_date, version=version
        )
    return w.t(N_("Data as of {date}")).format(date=data_date)
