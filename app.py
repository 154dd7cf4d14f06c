"""Streamlit UI: filters, summary, map, tabs, exports. The logic lives in geo/."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Alleged Chinese overseas police stations", page_icon="\U0001f5fa", layout="wide")

from streamlit_folium import st_folium  # noqa: E402

from geo.data import history  # noqa: E402
from geo.data.build import SEEDS, curated_places  # noqa: E402
from geo.data.dataset import read_dataset  # noqa: E402
from geo.data.gazetteer import Gazetteer  # noqa: E402
from geo.data.history import EVIDENCE  # noqa: E402
from geo.data.online import reachable  # noqa: E402
from geo.data.schema import (
    DataError,  # noqa: E402
    read_seeds,  # noqa: E402
)
from geo.upload.decode import Refused, read_table  # noqa: E402
from geo.upload.read import MAX_BYTES, MAX_ROWS, display_name, read_upload  # noqa: E402
from geo.view import filters as flt  # noqa: E402
from geo.view import history as hist  # noqa: E402
from geo.view import (  # noqa: E402
    mapping,
    method,  # noqa: E402
    page,
    picture,
)
from geo.view.export import to_csv, to_geojson, to_zip  # noqa: E402


def show_all(bounds) -> None:
    """One click: every filter back to showing every row (the map as of the latest month)."""
    for key in ("countries", "bureaus", "statuses", "reports", "evidence"):
        state[key] = []
    state.update(years=bounds, unknown_year=True, text="", playing=False)
    state.pop("as_of", None)


def toggle_play(months: list[str]) -> None:
    state.playing = not state.get("playing")
    if state.playing and state.get("as_of") == months[-1]:
        state.as_of = months[0]


def timeline_months(events) -> list[str]:
    """Months from the first report to the last event: the as-of control's range."""
    return history.timeline_months(list(events["date"]), list(events.loc[events["event"] == "reported", "date"]))


def what_changed(view) -> None:
    """Every event since a month (default: the last twelve months of data), newest first."""
    if events.empty:
        st.info("No dated events for these stations.")
        return
    all_months = timeline_months(events)
    default = hist.default_since(view)
    since = st.select_slider(
        "Events since",
        all_months,
        value=default if default in all_months else all_months[0],
        format_func=flt.month_words,
        key="since",
    )
    table = hist.changes(view, since)
    st.caption(f"{len(table):,} events since {flt.month_words(since)}, newest first.")
    st.dataframe(
        table.drop(columns=["Links"]).assign(Link=[x.split(" ")[0] if x else "" for x in table["Links"]]),
        hide_index=True,
        width="stretch",
        column_config={"Link": st.column_config.LinkColumn("First link")},
    )
    st.download_button(
        "Download these events (CSV)",
        partial(hist.changes_csv, table),
        f"events-since-{since}.csv",
        "text/csv",
        disabled=table.empty,
    )


EXTRA = ("basemap", "title", "byline", "inset", "preset", "scale", "clean")


@st.cache_resource(show_spinner=False)
def load(folder: str):
    mapping.ensure_static()
    return read_dataset(Path(folder))


@st.cache_resource(show_spinner="Building the offline gazetteer\u2026")
def gazetteer() -> Gazetteer:
    return Gazetteer(curated_places(read_seeds(SEEDS)[2]))  # one read-only index per process


@st.cache_data(ttl=300, show_spinner=False)
def tiles_ok(name: str) -> bool:
    return reachable(mapping.TILES[name][0])


try:
    # APS_DATA_DIR lets tests (and a newsroom's fork) point the app at another built data/.
    ds = load(os.environ.get("APS_DATA_DIR", str(Path(__file__).parent / "data")))
except DataError as exc:
    st.error("The map's data could not be loaded.")
    st.code(str(exc), language=None, wrap_lines=True)  # as text: values from a file are never markup
    st.stop()

state = st.session_state
df, data_date, credit_source, events = ds.stations, ds.data_date, page.SOURCE_LINE, ds.events
# First run of a session: the URL decides the starting view, so a shared link reopens it.
if "url_read" not in state:
    start, notes = flt.from_query({k: st.query_params.get_all(k) for k in st.query_params}, df, EXTRA)
    state.update(page.initial_state(start, flt.year_bounds(df), notes))


def read_upload_once(data: bytes, name: str):
    """Read a file once per session and column choice; kept in this session only."""
    if state.get("upload_file") != (hash(data), name):  # a new file: its own guesses, no old choices
        state.upload_file = (hash(data), name)
        for stale in ("reading", "column_map", "extra_columns"):
            state.pop(stale, None)
    key = (
        hash(data),
        name,
        tuple(sorted(state.get("column_map", {}).items())),
        state.get("reading"),
        tuple(state.get("extra_columns", [])),
    )
    if state.get("upload_key") != key:
        state.upload_key = key
        state.upload_result = read_upload(
            data, name, gazetteer(), state.get("column_map"), state.get("reading"), state.get("extra_columns")
        )
        try:
            state.upload_headers = read_table(data, display_name(name)).header
        except Refused:
            state.upload_headers = []
    return state.upload_result


def show_upload_report(result) -> None:
    """Every problem listed, the rows that need attention kept and shown, nothing dropped."""
    n_bad, n_good = len(result.attention), len(result.stations)
    if result.refused:
        st.error("Your file could not be read.")
    elif n_bad:
        st.warning(
            f"{n_good:,} rows of your file are on the map; {n_bad:,} need attention and are listed "
            "below, not dropped. Fix them in your file and upload it again."
        )
    else:
        st.success(f"All {n_good:,} rows of your file are on the map.")
    if result.problems:
        st.dataframe(page.problem_table(result.problems), hide_index=True, width="stretch")
    if n_bad:
        st.markdown("**Rows that need attention** (every cell as in your file)")
        st.dataframe(result.attention, hide_index=True, width="stretch")
    if result.notes:
        with st.expander(f"{len(result.notes)} note{'s' if len(result.notes) > 1 else ''} on how the file was read"):
            st.dataframe(page.problem_table(result.notes), hide_index=True, width="stretch")
    if result.mapping_used:
        with st.expander("Columns: which of yours feeds which field"):
            st.caption("Change a choice if a column was read wrongly; the file is read again.")
            choose_columns(result)


def choose_columns(result) -> None:
    headers = state.upload_headers
    with st.form("columns"):
        picks = {}
        cols = st.columns(3)
        for i, field in enumerate(page.MAPPABLE):
            current = result.mapping_used.get(field, "")
            options = ["(not used)", *headers]
            picks[field] = cols[i % 3].selectbox(
                page.FIELD_WORDS.get(field, field),
                options,
                index=options.index(current) if current in options else 0,
                key=f"col_{field}",
            )
        free = [h for h in headers if h not in result.mapping_used.values()]
        extra = st.multiselect(
            "Also show these columns in popups and downloads",
            free,
            default=[h for h in state.get("extra_columns", []) if h in free],
            key="col_extra",
        )
        if st.form_submit_button("Read the file again with these columns"):
            state.column_map = {f: ("" if v == "(not used)" else v) for f, v in picks.items()}
            state.extra_columns = extra
            st.rerun()


with st.sidebar:
    own = st.radio("Data", ["Curated dataset", "My CSV file"], key="data_source", horizontal=True) != "Curated dataset"
    if own:
        upload = st.file_uploader(
            f"CSV in the map's format or your own (up to {MAX_BYTES // 2**20} MB and "
            f"{MAX_ROWS:,} rows); it stays in this browser session",
            type=["csv", "tsv", "txt"],
        )
        if upload is not None:
            result = read_upload_once(upload.getvalue(), upload.name)
            df, data_date, credit_source = result.stations, "your upload", f"{display_name(upload.name)} (uploaded)"
            events = ds.events.iloc[:0]  # an upload has no histories
            if not result.refused:
                state.reading = result.reading  # the guess, shown; one click reads it the other way
                st.radio(
                    "Read my file as",
                    ["points", "stations"],
                    key="reading",
                    horizontal=True,
                    format_func={"points": "My own points", "stations": "Police stations (the map's format)"}.get,
                    help="Your own list is mapped in its own words and colours; a list in the map's format "
                    "is read as alleged stations.",
                )
waiting = own and upload is None  # the filters are still drawn, so Streamlit keeps their values
kind = result.reading if own and not waiting else "stations"
points = kind == "points"
if waiting:
    st.info("Choose a CSV file in the sidebar. Download the curated data (Export & share) to see the format.")
elif own:
    show_upload_report(result)
    if df.empty:
        st.stop()
# Choices and the year range come from the data on screen (a new file resets them to its own).
page.keep_known_choices(state, df, str(state.get("upload_key", "")) if own and not waiting else "curated")
bounds = flt.year_bounds(df)
names = dict(zip(df["country_code"], df["country"]))


with st.sidebar:
    st.header("Filters")
    st.multiselect(
        "Country", sorted(names, key=names.get), format_func=names.get, key="countries", placeholder="All countries"
    )
    st.multiselect(
        "Category" if points else "Founding bureau",
        sorted(df["bureau"].unique()),
        key="bureaus",
        placeholder="All categories" if points else "All bureaus",
    )
    if bounds and bounds[0] < bounds[1]:
        st.slider("Year" if points else "Year opened", bounds[0], bounds[1], key="years")
    st.checkbox(
        "Include points with no year" if points else "Include stations with no reported opening year",
        key="unknown_year",
    )
    if not points:
        st.multiselect(
            "Host-government response", sorted(df["status"].unique()), key="statuses", placeholder="Any response"
        )
        st.multiselect(
            "First reported by", sorted(df["first_reported"].unique()), key="reports", placeholder="Any report"
        )
    if "evidence" in df and (df["evidence"] != "").any():
        st.multiselect(
            "Evidence", [e for e in EVIDENCE if e in set(df["evidence"])], key="evidence", placeholder="Any evidence"
        )
    months = timeline_months(events)
    if months:
        if "as_of_next" in state:  # the play loop's next month
            state.as_of = state.pop("as_of_next")
        if state.get("as_of") not in months:
            state.as_of = months[-1]
        st.select_slider(
            "Map as of",
            months,
            key="as_of",
            format_func=flt.month_words,
            help="The stations reported by the end of that month, with the status they had then.",
        )
        st.button(
            "\u23f8 Pause" if state.get("playing") else "\u25b6 Play the months",
            key="play",
            on_click=toggle_play,
            args=(months,),
        )
    st.text_input("Search city, notes and sources", key="text", placeholder="e.g. Prato, Reuters")
    st.header("Map")
    st.text_input(
        "Map title", key="title", placeholder="Automatic, e.g. Alleged Chinese police stations in Italy", max_chars=120
    )
    st.text_input("Byline on pictures", key="byline", placeholder="e.g. Jane Doe / The Daily", max_chars=80)
    st.selectbox(
        "Basemap",
        mapping.BASEMAPS,
        key="basemap",
        help="Tile basemaps need the internet; the countries basemap works offline.",
    )
    st.selectbox(
        "Inset on pictures",
        page.INSETS,
        key="inset",
        format_func=lambda k: page.INSET_WORDS.get(k, k),
        help="A corner map of a region where stations pile up; automatic shows Europe on the world map.",
    )
    st.toggle("Clean mode (for screenshots)", key="clean")

years = state.get("years")
f = flt.Filters(
    countries=tuple(state.countries),
    bureaus=tuple(state.bureaus),
    statuses=tuple(state.statuses),
    reports=tuple(state.reports),
    evidence=tuple(state.get("evidence", [])),
    as_of=state.as_of if months and state.get("as_of") != months[-1] else None,
    years=tuple(years) if years and bounds and tuple(years) != bounds else None,
    unknown_year=state.unknown_year,
    text=state.text.strip(),
    extra={
        "basemap": state.basemap,
        "title": state.title.strip(),
        "byline": state.byline.strip(),
        "inset": state.inset,
        # the Export tab's widgets are not drawn in clean mode, so Streamlit may forget them
        "preset": state.get("preset", "web"),
        "scale": str(state.get("scale", 2)),
        "clean": "1" if state.clean else "0",
    },
)
TABS = ["Table", "What changed", "Export & share", "Counts & time", "Sources", "Methodology"]
st.query_params.from_dict(flt.to_query(f))  # the open tab joins them (bound to the tabs below)
if waiting:
    st.stop()
view = flt.view_of(df, events, f)
line = flt.filter_line(f, df, kind)
basemap = state.basemap
if basemap in mapping.TILES and not tiles_ok(basemap):
    st.warning(f"{basemap} tiles cannot be reached from here, so the offline countries basemap is shown.")
    basemap = mapping.OFFLINE
overlay = page.overlay_text(
    view, line, data_date, basemap, state.title.strip(), credit_source, state.byline.strip(), f.as_of, kind
)

if state.clean:
    st.markdown(page.clean_css(state.get("preset", "web")), unsafe_allow_html=True)  # constant CSS, no data
else:
    if points:  # a journalist's own list: their words, not ours
        st.markdown(f"## {overlay['title']}")
        st.markdown(
            f"**Showing {len(view):,} of {len(df):,} points in "
            f"{flt.plural(view['country_code'].nunique(), 'country', 'countries')}.** From {credit_source}."
        )
    else:
        st.markdown(page.PAGE_TITLE, unsafe_allow_html=True)  # constant HTML, no data
        st.markdown(
            f"**Showing {len(view):,} of {len(df):,} alleged stations in "
            f"{flt.plural(view['country_code'].nunique(), 'country', 'countries')}"
            f"{' ' + hist.as_of_words(f.as_of) if f.as_of else ''}.** "
            f"{method.version_line(data_date, ds.version if not own else '')}. "
            "China denies that these are police stations; see *Methodology*."
        )
    hidden = flt.hidden_words(flt.hidden_by(df, events, f), len(df) - len(view))
    if hidden:  # no filter hides a row without the page saying so
        left, right = st.columns([4, 1])
        left.caption(hidden + ".")
        right.button("Show all", on_click=show_all, args=(flt.year_bounds(df),), key="show_all")
for note in state.get("url_notes", []):
    st.warning(note)

if view.empty:
    st.info(
        "No station matches these filters. Widen the year range, clear the search, or pick "
        "another country or bureau in the sidebar."
    )
else:
    st_folium(
        mapping.base_map(basemap),
        # The workbench map clusters; insets belong to pictures and the standalone map.
        feature_group_to_add=mapping.station_layer(
            view,
            clean=state.clean,
            inset=mapping.NO_INSET,
            kind=kind,
            # the curated data is one object for every session: the same view is built once
            cache_key=None if own else ("curated", ds.version, f.as_of),
            **overlay,
        ),
        key="map",
        returned_objects=[],
        use_container_width=True,
        height=860 if state.clean else 640,
    )
    st.caption(flt.describe(view, kind))
if state.clean:
    st.button("Exit clean mode", on_click=lambda: state.update(clean=False))
    st.stop()

# Only the open tab is built (a filter change redraws the map and one tab, not six).
tabs = st.tabs(TABS, key="tab", bind="query-params")
if tabs[0].open:
    with tabs[0]:
        st.dataframe(
            page.station_table(view),
            hide_index=True,
            width="stretch",
            column_config={"First source": st.column_config.LinkColumn("First source")},
        )
if tabs[1].open:
    with tabs[1]:
        what_changed(view)
if tabs[2].open:
    with tabs[2]:
        left, right = st.columns(2)
        with left:
            st.subheader("Picture")
            st.selectbox("Format", list(picture.PRESETS), key="preset", format_func=lambda k: picture.PRESETS[k].label)
            st.radio("Scale", picture.SCALES, key="scale", horizontal=True, format_func=lambda s: f"{s}\u00d7")
            size = picture.PRESETS[state.preset]
            st.caption(
                f"{size.width * state.scale} \u00d7 {size.height * state.scale} px, with title, legend, "
                "filters line, credit and data date on the picture."
            )
            if not picture.chromium_path():
                st.info(picture.NO_BROWSER)
            else:
                kind = st.radio(
                    "File",
                    list(picture.FORMATS),
                    key="picture_format",
                    horizontal=True,
                    format_func=lambda k: {"png": "PNG", "pdf": "PDF (vector)", "svg": "SVG (vector)"}[k],
                )
                if st.button(f"Make {kind.upper()}", disabled=view.empty):
                    with st.spinner("Drawing the map\u2026"):
                        try:
                            still = mapping.standalone_html(
                                view, basemap, still=True, inset=state.inset, kind=kind, **overlay
                            )
                            made = picture.render(
                                still, kind, state.preset, state.scale, online=basemap != mapping.OFFLINE
                            )
                            st.download_button(
                                f"Download {kind.upper()}",
                                made,
                                page.file_name(overlay["title"], kind),
                                picture.FORMATS[kind],
                            )
                        except picture.PictureError as exc:
                            st.error(str(exc))
            st.markdown("**Alt text suggestion**")
            st.code(flt.describe(view, kind), language=None, wrap_lines=True)
        with right:
            st.subheader("Interactive map and data")
            # Exports are made when clicked (a callable), not on every rerun: a filter change stays fast.
            st.download_button(
                "Download standalone HTML map",
                partial(mapping.standalone_html, view, basemap, inset=state.inset, kind=kind, **overlay)
                if not view.empty
                else "",
                page.file_name(overlay["title"], "html"),
                "text/html",
                disabled=view.empty,
                help="One file that opens offline; embed it in a CMS as an iframe.",
            )
            st.download_button(
                "Download CSV (filtered)",
                partial(to_csv, view),
                page.file_name(overlay["title"], "csv"),
                "text/csv",
                disabled=view.empty,
            )
            st.download_button(
                "Download GeoJSON (filtered)",
                partial(to_geojson, view),
                page.file_name(overlay["title"], "geojson"),
                "application/geo+json",
                disabled=view.empty,
            )
            st.download_button(
                "Download CSV + GeoJSON + README (zip)",
                partial(to_zip, view, data_date, line, ds.version if not own else ""),
                page.file_name(overlay["title"], "zip"),
                "application/zip",
                disabled=view.empty,
            )
            st.markdown("**Link to this view** (filters, basemap, title and format)")
            st.code(flt.share_url(st.context.url or "http://localhost:8501", f), language=None, wrap_lines=True)
if tabs[3].open:
    with tabs[3]:
        left, right = st.columns(2)
        left.subheader("By country")
        left.bar_chart(view["country"].value_counts(), horizontal=True)
        right.subheader("By founding bureau")
        right.bar_chart(view["bureau"].value_counts(), horizontal=True)
        reported, by_type = hist.timeline(view)
        if not reported.empty:
            st.subheader("Stations first reported, by month")
            st.bar_chart(reported)
            st.subheader("Events by month and type")
            st.bar_chart(by_type, stack=True)
if tabs[4].open:
    with tabs[4]:
        st.dataframe(
            page.source_table(view),
            hide_index=True,
            width="stretch",
            column_config={"Link": st.column_config.LinkColumn("Link")},
        )
if tabs[5].open:
    with tabs[5]:
        st.markdown(
            page.METHOD.format(
                data_date=ds.data_date, stations=len(ds.stations), countries=ds.stations["country_code"].nunique()
            )
        )
        st.markdown("### The reports, and China's answer\n" + method.key_links(ds.sources))
        st.markdown(page.REPORTS.replace("`seeds/README.md` lists", "the list below gives"))
        st.dataframe(page.coverage(ds.stations), hide_index=True, width="stretch")
        for title in method.SECTIONS:
            with st.expander(title):
                st.markdown(method.readme_section(title))  # our own reviewed README, not data from a file
        st.caption(method.version_line(ds.data_date, ds.version))

if state.get("playing") and months:
    # Play: one month a step, until the last; the map, counts and exports follow the control.
    import time

    at = months.index(state.as_of) if state.as_of in months else len(months) - 1
    if at + 1 >= len(months):
        state.playing = False
    else:
        time.sleep(0.7)
        state.as_of_next = months[at + 1]  # applied before the slider is drawn on the next run
        st.rerun()
