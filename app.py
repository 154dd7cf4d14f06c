"""Streamlit UI: filters, summary, map, tabs, exports. The logic lives in geo/."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pyarrow as pa
import streamlit as st

from geo.view import i18n  # noqa: E402

# The language comes first: the page's own title is in it (a link's ?lang=it, then the sidebar's).
_ = i18n.words(st.session_state.get("lang") or i18n.pick(st.query_params.get("lang"))).t
st.set_page_config(page_title=_("Alleged Chinese overseas police stations"), page_icon="\U0001f5fa", layout="wide")


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
from geo.view.cache import memo  # noqa: E402
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
    """Months from the first report to the last event: the as-of control's range (made once for
    the curated data's events, which every session shares)."""
    return memo(
        "months",
        events,
        lambda e: history.timeline_months(list(e["date"]), list(e.loc[e["event"] == "reported", "date"])),
    )


def what_changed(view) -> None:
    """Every event since a month (default: the last twelve months of data), newest first."""
    if events.empty:
        st.info(_("No dated events for these stations."))
        return
    all_months = timeline_months(events)
    default = hist.default_since(view)
    since = st.select_slider(
        _("Events since"),
        all_months,
        value=default if default in all_months else all_months[0],
        format_func=partial(flt.month_words, lang=lang),
        key="since",
    )
    table = hist.changes(view, since, lang)
    st.caption(
        w.n("{n} event since {month}, newest first.", "{n} events since {month}, newest first.", len(table)).format(
            month=flt.month_words(since, lang)
        )
    )
    links = table.columns[-1]
    first = _("First link")
    st.dataframe(
        table.drop(columns=[links]).assign(**{first: [x.split(" ")[0] if x else "" for x in table[links]]}),
        hide_index=True,
        width="stretch",
        column_config={first: st.column_config.LinkColumn(first)},
    )
    st.download_button(
        _("Download these events (CSV)"),
        partial(hist.changes_csv, table),
        f"events-since-{since}.csv",
        "text/csv",
        disabled=table.empty,
    )


EXTRA = ("basemap", "title", "byline", "inset", "preset", "scale", "clean", "lang")


@st.cache_resource(show_spinner=False)
def load(folder: str):
    mapping.ensure_static()
    return read_dataset(Path(folder))


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    return Gazetteer(curated_places(read_seeds(SEEDS)[2]))  # one read-only index per process


@st.cache_data(ttl=300, show_spinner=False)
def tiles_ok(name: str) -> bool:
    return reachable(mapping.TILES[name][0])


try:
    # APS_DATA_DIR lets tests (and a newsroom's fork) point the app at another built data/.
    ds = load(os.environ.get("APS_DATA_DIR", str(Path(__file__).parent / "data")))
except DataError as exc:
    st.error(_("The map's data could not be loaded."))
    st.code(str(exc), language=None, wrap_lines=True)  # as text: values from a file are never markup
    st.stop()

state = st.session_state
df, data_date, credit_source, events = ds.stations, ds.data_date, page.SOURCE_LINE, ds.events
# First run of a session: the URL decides the starting view, so a shared link reopens it.
if "url_read" not in state:
    start, notes = flt.from_query({k: st.query_params.get_all(k) for k in st.query_params}, df, EXTRA)
    state.update(page.initial_state(start, flt.year_bounds(df), notes))
lang = i18n.pick(state.get("lang"))
w = i18n.words(lang)
_ = w.t
NOT_USED = i18n.N_("(not used)")
CURATED = i18n.N_("Curated dataset")
VECTOR_PDF, VECTOR_SVG = i18n.N_("PDF (vector)"), i18n.N_("SVG (vector)")


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
        st.error(_("Your file could not be read."))
    elif n_bad:
        st.warning(
            _(
                "{good} rows of your file are on the map; {bad} need attention and are listed below, not "
                "dropped. Fix them in your file and upload it again."
            ).format(good=w.number(n_good), bad=w.number(n_bad))
        )
    else:
        st.success(_("All {n} rows of your file are on the map.").format(n=w.number(n_good)))
    if result.problems:
        st.dataframe(page.problem_table(result.problems, lang), hide_index=True, width="stretch")
    if n_bad:
        st.markdown(_("**Rows that need attention** (every cell as in your file)"))
        st.dataframe(result.attention, hide_index=True, width="stretch")
    if result.notes:
        with st.expander(
            w.n("{n} note on how the file was read", "{n} notes on how the file was read", len(result.notes))
        ):
            st.dataframe(page.problem_table(result.notes, lang), hide_index=True, width="stretch")
    if result.mapping_used:
        with st.expander(_("Columns: which of yours feeds which field")):
            st.caption(_("Change a choice if a column was read wrongly; the file is read again."))
            choose_columns(result)


def choose_columns(result) -> None:
    headers = state.upload_headers
    with st.form("columns"):
        picks = {}
        cols = st.columns(3)
        for i, field in enumerate(page.MAPPABLE):
            current = result.mapping_used.get(field, "")
            options = [NOT_USED, *headers]
            picks[field] = cols[i % 3].selectbox(
                _(page.FIELD_WORDS.get(field, field)),
                options,
                index=options.index(current) if current in options else 0,
                key=f"col_{field}",
                format_func=lambda h: _(h) if h == NOT_USED else h,
            )
        free = [h for h in headers if h not in result.mapping_used.values()]
        extra = st.multiselect(
            _("Also show these columns in popups and downloads"),
            free,
            default=[h for h in state.get("extra_columns", []) if h in free],
            key="col_extra",
        )
        if st.form_submit_button(_("Read the file again with these columns")):
            state.column_map = {f: ("" if v == NOT_USED else v) for f, v in picks.items()}
            state.extra_columns = extra
            st.rerun()


with st.sidebar:
    st.selectbox(
        _("Language") + ("" if lang == i18n.DEFAULT else " (Language)"),  # findable in any language
        list(i18n.LANGS),
        key="lang",
        format_func=i18n.LANGS.get,
        help=_("Everything on the map, the pictures and the downloads' README follows this choice."),
    )
    own = (
        st.radio(
            _("Data"),
            [CURATED, i18n.N_("My CSV file")],
            key="data_source",
            horizontal=True,
            format_func=_,
        )
        != CURATED
    )
    if own:
        upload = st.file_uploader(
            _(
                "CSV in the map's format or your own (up to {mb} MB and {rows} rows); it stays in this browser session"
            ).format(mb=MAX_BYTES // 2**20, rows=w.number(MAX_ROWS)),
            type=["csv", "tsv", "txt"],
        )
        if upload is not None:
            result = read_upload_once(upload.getvalue(), upload.name)
            df, data_date = result.stations, _("your upload")
            credit_source = _("{name} (uploaded)").format(name=display_name(upload.name))
            events = ds.events.iloc[:0]  # an upload has no histories
            if not result.refused:
                state.reading = result.reading  # the guess, shown; one click reads it the other way
                st.radio(
                    _("Read my file as"),
                    ["points", "stations"],
                    key="reading",
                    horizontal=True,
                    format_func={"points": _("My own points"), "stations": _("Police stations (the map's format)")}.get,
                    help=_(
                        "Your own list is mapped in its own words and colours; a list in the map's format is read "
                        "as alleged stations."
                    ),
                )
waiting = own and upload is None  # the filters are still drawn, so Streamlit keeps their values
kind = result.reading if own and not waiting else "stations"
points = kind == "points"
if waiting:
    st.info(_("Choose a CSV file in the sidebar. Download the curated data (Export & share) to see the format."))
elif own:
    show_upload_report(result)
    if df.empty:
        st.stop()
# Choices and the year range come from the data on screen (a new file resets them to its own).
page.keep_known_choices(state, df, str(state.get("upload_key", "")) if own and not waiting else "curated")
bounds = flt.year_bounds(df)
shown_df = i18n.localize(df, lang)  # country and city names in the reader's language (made once a frame)
names = dict(zip(shown_df["country_code"], shown_df["country"]))


def filter_widgets() -> None:
    """The sidebar's filters and map settings. Drawn after the map (their values are already in
    the session state), so the map's frame starts loading while the widgets' scripts do."""
    with st.sidebar:
        st.header(_("Filters"))
        st.multiselect(
            _("Country"),
            sorted(names, key=names.get),
            format_func=names.get,
            key="countries",
            placeholder=_("All countries"),
        )
        st.multiselect(
            _("Category") if points else _("Founding bureau"),
            sorted(df["bureau"].unique()),
            key="bureaus",
            placeholder=_("All categories") if points else _("All bureaus"),
            format_func=(lambda b: b)
            if points
            else (lambda b: mapping.bilingual(b) if b != "unknown" else _("unknown")),
        )
        if bounds and bounds[0] < bounds[1]:
            st.slider(_("Year") if points else _("Year opened"), bounds[0], bounds[1], key="years")
        st.checkbox(
            _("Include points with no year") if points else _("Include stations with no reported opening year"),
            key="unknown_year",
        )
        if not points:
            st.multiselect(
                _("Host-government response"),
                sorted(df["status"].unique()),
                key="statuses",
                placeholder=_("Any response"),
                format_func=lambda s: _(mapping.STATUS_WORDS.get(s, s)),
            )
            st.multiselect(
                _("First reported by"),
                sorted(df["first_reported"].unique()),
                key="reports",
                placeholder=_("Any report"),
            )
        if "evidence" in df and (df["evidence"] != "").any():
            st.multiselect(
                _("Evidence"),
                [e for e in EVIDENCE if e in set(df["evidence"])],
                key="evidence",
                placeholder=_("Any evidence"),
                format_func=lambda e: _(mapping.EVIDENCE_WORDS.get(e, e)),
            )
        if months:
            st.select_slider(
                _("Map as of"),
                months,
                key="as_of",
                format_func=partial(flt.month_words, lang=lang),
                help=_("The stations reported by the end of that month, with the status they had then."),
            )
            st.button(
                "\u23f8 " + _("Pause") if state.get("playing") else "\u25b6 " + _("Play the months"),
                key="play",
                on_click=toggle_play,
                args=(months,),
            )
        st.text_input(_("Search city, notes and sources"), key="text", placeholder=_("e.g. Prato, Reuters"))
        st.header(_("Map"))
        st.text_input(
            _("Map title"),
            key="title",
            placeholder=_("Automatic, e.g. {title}").format(
                title=_("Alleged Chinese police stations in {country}").format(country=w.country("IT", "Italy"))
            ),
            max_chars=120,
        )
        st.text_input(_("Byline on pictures"), key="byline", placeholder=_("e.g. Jane Doe / The Daily"), max_chars=80)
        st.selectbox(
            _("Basemap"),
            mapping.BASEMAPS,
            key="basemap",
            format_func=lambda b: _(b) if b == mapping.OFFLINE else b,
            help=_("Tile basemaps need the internet; the countries basemap works offline."),
        )
        st.selectbox(
            _("Inset on pictures"),
            page.INSETS,
            key="inset",
            format_func=lambda k: _(page.INSET_WORDS[k]) if k in page.INSET_WORDS else _(k),
            help=_("A corner map of a region where stations pile up; automatic shows Europe on the world map."),
        )
        st.toggle(_("Clean mode (for screenshots)"), key="clean")


months = timeline_months(events)
if months:
    if "as_of_next" in state:  # the play loop's next month
        state.as_of = state.pop("as_of_next")
    if state.get("as_of") not in months:
        state.as_of = months[-1]
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
        "lang": lang,
    },
)
TABS = [_("Table"), _("What changed"), _("Export & share"), _("Counts & time"), _("Sources"), _("Methodology")]
st.query_params.from_dict(flt.to_query(f))  # the open tab joins them (bound to the tabs below)
if waiting:
    filter_widgets()  # drawn, so Streamlit keeps their values while a file is awaited
    st.stop()
view = flt.view_of(df, events, f)
shown = i18n.localize(view, lang)  # what a reader reads; downloads keep the data as it is
line = flt.filter_line(f, shown_df, kind, lang)
basemap = state.basemap
if basemap in mapping.TILES and not tiles_ok(basemap):
    st.warning(
        _("{basemap} tiles cannot be reached from here, so the offline countries basemap is shown.").format(
            basemap=basemap
        )
    )
    basemap = mapping.OFFLINE
overlay = page.overlay_text(
    shown, line, data_date, basemap, state.title.strip(), credit_source, state.byline.strip(), f.as_of, kind, lang
)

if state.clean:
    st.markdown(page.clean_css(state.get("preset", "web")), unsafe_allow_html=True)  # constant CSS, no data
else:
    countries = w.n("{n} country", "{n} countries", view["country_code"].nunique())
    if points:  # a journalist's own list: their words, not ours
        st.markdown("## " + overlay["title"])
        showing = w.n("Showing {n} of {total} point", "Showing {n} of {total} points", len(view))
        st.markdown(
            "**"
            + _("{showing} in {countries}.").format(
                showing=showing.format(total=w.number(len(df))), countries=countries
            )
            + "** "
            + _("From {source}.").format(source=credit_source)
        )
    else:
        st.markdown(page.page_title(lang), unsafe_allow_html=True)  # our own escaped words, no data
        showing = w.n("Showing {n} of {total} alleged station", "Showing {n} of {total} alleged stations", len(view))
        summary = _("{showing} in {countries}.").format(
            showing=showing.format(total=w.number(len(df))), countries=countries
        )
        if f.as_of:
            summary = summary[:-1] + " " + hist.as_of_words(f.as_of, lang) + summary[-1]
        st.markdown(
            f"**{summary}** {method.version_line(data_date, ds.version if not own else '', lang)}{w.stop}{w.space}"
            + _("China denies that these are police stations; see *Methodology*.")
        )
    hidden = flt.hidden_words(flt.hidden_by(df, events, f), len(df) - len(view), lang)
    if hidden:  # no filter hides a row without the page saying so
        left, right = st.columns([4, 1])
        left.caption(hidden + w.stop)
        right.button(_("Show all"), on_click=show_all, args=(flt.year_bounds(df),), key="show_all")
for note in state.get("url_notes", []):
    st.warning(note)

if view.empty:
    st.info(
        _(
            "No station matches these filters. Widen the year range, clear the search, or pick another country "
            "or bureau in the sidebar."
        )
    )
else:
    # The map is one small page in an iframe (Leaflet and our scripts come from /app/static, cached
    # by the browser); the curated data's views are rendered once per process and then reused.
    st.iframe(
        mapping.app_page(
            view,
            basemap,
            clean=state.clean,
            kind=kind,
            lang=lang,
            cache_key=None if own else ("curated", ds.version, f.as_of),
            **overlay,
        ),
        height=860 if state.clean else 640,
        alt=w.n("Map of {n} point", "Map of {n} points", len(view))
        if points
        else w.n(
            "Map of {n} alleged Chinese police station abroad",
            "Map of {n} alleged Chinese police stations abroad",
            len(view),
        ),
    )
    st.caption(flt.describe(shown, kind, lang))
filter_widgets()
if state.clean:
    st.button(_("Exit clean mode"), on_click=lambda: state.update(clean=False))
    st.stop()

# Only the open tab is built (a filter change redraws the map and one tab, not six).
tabs = st.tabs(TABS, key="tab", bind="query-params")
if tabs[0].open:
    with tabs[0]:
        first = _(page.FIRST_SOURCE)
        st.dataframe(
            page.TABLES.get(
                None if own else ("curated", ds.version, f.as_of, tuple(view["station_id"]), lang),
                lambda: pa.Table.from_pandas(page.station_table(shown, lang), preserve_index=False),
            ),
            hide_index=True,
            width="stretch",
            column_config={first: st.column_config.LinkColumn(first)},
        )
if tabs[1].open:
    with tabs[1]:
        what_changed(shown)  # places in the reader's language
if tabs[2].open:
    with tabs[2]:
        left, right = st.columns(2)
        with left:
            st.subheader(_("Picture"))
            st.selectbox(
                _("Format"), list(picture.PRESETS), key="preset", format_func=lambda k: _(picture.PRESETS[k].label)
            )
            st.radio(_("Scale"), picture.SCALES, key="scale", horizontal=True, format_func=lambda s: f"{s}\u00d7")
            size = picture.PRESETS[state.preset]
            st.caption(
                _(
                    "{width} \u00d7 {height} px, with title, legend, filters line, credit and data date on the picture."
                ).format(width=size.width * state.scale, height=size.height * state.scale)
            )
            if not picture.chromium_path():
                st.info(_(picture.NO_BROWSER))
            else:
                kind = st.radio(
                    _("File"),
                    list(picture.FORMATS),
                    key="picture_format",
                    horizontal=True,
                    format_func=lambda k: {"png": "PNG", "pdf": _(VECTOR_PDF), "svg": _(VECTOR_SVG)}[k],
                )
                if st.button(_("Make {format}").format(format=kind.upper()), disabled=view.empty):
                    with st.spinner(_("Drawing the map\u2026")):
                        try:
                            still = mapping.standalone_html(
                                view, basemap, still=True, inset=state.inset, kind=kind, lang=lang, **overlay
                            )
                            made = picture.render(
                                still, kind, state.preset, state.scale, online=basemap != mapping.OFFLINE
                            )
                            st.download_button(
                                _("Download {format}").format(format=kind.upper()),
                                made,
                                page.file_name(overlay["title"], kind),
                                picture.FORMATS[kind],
                            )
                        except picture.PictureError as exc:
                            st.error(str(exc))
            st.markdown("**" + _("Alt text suggestion") + "**")
            st.code(flt.describe(shown, kind, lang), language=None, wrap_lines=True)
        with right:
            st.subheader(_("Interactive map and data"))
            # Exports are made when clicked (a callable), not on every rerun: a filter change stays fast.
            downloads = [
                (
                    _("Download standalone HTML map"),
                    partial(mapping.standalone_html, view, basemap, inset=state.inset, kind=kind, lang=lang, **overlay),
                    "html",
                    "text/html",
                    _("One file that opens offline; embed it in a CMS as an iframe."),
                ),
                (_("Download CSV (filtered)"), partial(to_csv, view), "csv", "text/csv", None),
                (_("Download GeoJSON (filtered)"), partial(to_geojson, view), "geojson", "application/geo+json", None),
                (
                    _("Download CSV + GeoJSON + README (zip)"),
                    partial(to_zip, view, data_date, line, ds.version if not own else "", lang),
                    "zip",
                    "application/zip",
                    None,
                ),
            ]
            for label, make, ext, mime, tip in downloads:
                st.download_button(
                    label,
                    make if not view.empty else "",
                    page.file_name(overlay["title"], ext),
                    mime,
                    disabled=view.empty,
                    help=tip,
                )
            st.markdown(_("**Link to this view** (filters, language, basemap, title and format)"))
            st.code(flt.share_url(st.context.url or "http://localhost:8501", f), language=None, wrap_lines=True)
if tabs[3].open:
    with tabs[3]:
        left, right = st.columns(2)
        left.subheader(_("By country"))
        left.bar_chart(shown["country"].value_counts().rename(_("Stations")), horizontal=True)
        right.subheader(_("By founding bureau"))
        right.bar_chart(view["bureau"].value_counts().rename(_("Stations")), horizontal=True)
        reported, by_type = hist.timeline(view)
        if not reported.empty:
            st.subheader(_("Stations first reported, by month"))
            st.bar_chart(reported.set_axis([_("stations first reported")], axis=1))
            st.subheader(_("Events by month and type"))
            st.bar_chart(by_type.rename(columns=lambda e: _(mapping.EVENT_WORDS.get(e, e))), stack=True)
if tabs[4].open:
    with tabs[4]:
        link = _("Link")
        st.dataframe(
            page.source_table(view, lang),
            hide_index=True,
            width="stretch",
            column_config={link: st.column_config.LinkColumn(link)},
        )
if tabs[5].open:
    with tabs[5]:
        st.markdown(
            page.method_text(
                lang, data_date=ds.data_date, stations=len(ds.stations), countries=ds.stations["country_code"].nunique()
            )
        )
        st.markdown("### " + _("The reports, and China's answer") + "\n" + method.key_links(ds.sources, lang))
        st.markdown("\n\n".join(_(p) for p in page.REPORTS))
        st.dataframe(page.coverage(ds.stations, lang), hide_index=True, width="stretch")
        for title in method.SECTIONS:
            with st.expander(_(title)):
                if lang != i18n.DEFAULT:
                    st.caption(_("The editorial rules and the list are kept in English, as the dataset's own README."))
                st.markdown(method.readme_section(title))  # our own reviewed README, not data from a file
        st.caption(method.version_line(ds.data_date, ds.version, lang))
        st.caption(_(page.TRANSLATION_NOTE))

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
