"""Streamlit UI: filters, summary, map, tabs, exports. The logic lives in geo/."""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Alleged Chinese overseas police stations", page_icon="\U0001F5FA",
                   layout="wide")

from streamlit_folium import st_folium  # noqa: E402

from geo import filters as flt  # noqa: E402
from geo import mapping  # noqa: E402
from geo.dataset import read_dataset  # noqa: E402
from geo.export import to_csv, to_zip  # noqa: E402
from geo.page import METHOD, REPORTS, SOURCE_LINE, source_table, station_table  # noqa: E402
from geo.stations import DataError  # noqa: E402

EXTRA = ("basemap",)


@st.cache_resource(show_spinner=False)
def load(folder: str):
    mapping.ensure_static()
    return read_dataset(Path(folder))


try:
    # APS_DATA_DIR lets tests (and a newsroom's fork) point the app at another built data/.
    ds = load(os.environ.get("APS_DATA_DIR", str(Path(__file__).parent / "data")))
except DataError as exc:
    st.error("The map's data could not be loaded.\n\n" + str(exc).replace("\n", "  \n"))
    st.stop()

df = ds.stations
bounds = flt.year_bounds(df)
names = dict(zip(df["country_code"], df["country"]))

# First run of a session: the URL decides the starting view, so a shared link reopens it.
if "url_read" not in st.session_state:
    start, notes = flt.from_query(st.query_params.to_dict() | {
        k: st.query_params.get_all(k) for k in ("country", "bureau", "status", "report")}, df, EXTRA)
    st.session_state.update({
        "countries": [c for c in start.countries], "bureaus": list(start.bureaus),
        "statuses": list(start.statuses), "reports": list(start.reports),
        "years": start.years or bounds, "unknown_year": start.unknown_year, "text": start.text,
        "basemap": start.extra.get("basemap") if start.extra.get("basemap") in mapping.BASEMAPS
        else mapping.OFFLINE, "url_read": True, "url_notes": notes})

with st.sidebar:
    st.header("Filters")
    st.multiselect("Country", sorted(names, key=names.get), format_func=names.get, key="countries",
                   placeholder="All countries")
    st.multiselect("Founding bureau", sorted(df["bureau"].unique()), key="bureaus", placeholder="All bureaus")
    if bounds and bounds[0] < bounds[1]:
        st.slider("Year opened", bounds[0], bounds[1], key="years")
    st.checkbox("Include stations with no reported opening year", key="unknown_year")
    st.multiselect("Host-government response", sorted(df["status"].unique()), key="statuses",
                   placeholder="Any response")
    st.multiselect("First reported by", sorted(df["first_reported"].unique()), key="reports",
                   placeholder="Any report")
    st.text_input("Search city, notes and sources", key="text", placeholder="e.g. Prato, Reuters")
    st.selectbox("Basemap", mapping.BASEMAPS, key="basemap",
                 help="Tile basemaps need the internet; the countries basemap works offline.")

years = st.session_state.get("years")
f = flt.Filters(countries=tuple(st.session_state.countries), bureaus=tuple(st.session_state.bureaus),
                statuses=tuple(st.session_state.statuses), reports=tuple(st.session_state.reports),
                years=tuple(years) if years and bounds and tuple(years) != bounds else None,
                unknown_year=st.session_state.unknown_year, text=st.session_state.text.strip(),
                extra={"basemap": st.session_state.basemap})
st.query_params.from_dict(flt.to_query(f))
view = flt.apply_filters(df, f)
line = flt.filter_line(f, df)

st.title("Alleged Chinese overseas police \u201cservice stations\u201d")
n_countries = view["country_code"].nunique()
st.markdown(f"**Showing {len(view):,} of {len(df):,} alleged stations in "
            f"{flt.plural(n_countries, 'country', 'countries')}.** Data as of {ds.data_date}. "
            "China denies that these are police stations; see *Methodology*.")
for note in st.session_state.get("url_notes", []):
    st.warning(note)

if view.empty:
    st.info("No station matches these filters. Widen the year range, clear the search, or pick "
            "another country or bureau in the sidebar.")
else:
    title = "Alleged Chinese police stations" + (
        f" in {view['country'].iloc[0]}" if n_countries == 1 else " abroad")
    group = mapping.station_layer(
        view, title=title, filters=line,
        subtitle=f"{flt.plural(len(view), 'alleged station')} in {flt.plural(n_countries, 'country', 'countries')}",
        credit=mapping.credit_line(ds.data_date, st.session_state.basemap, SOURCE_LINE))
    st_folium(mapping.base_map(st.session_state.basemap), feature_group_to_add=group, key="map",
              returned_objects=[], use_container_width=True, height=640)
    st.caption(flt.describe(view))

table_tab, chart_tab, source_tab, method_tab = st.tabs(["Table", "Counts", "Sources", "Methodology"])
with table_tab:
    st.dataframe(station_table(view), hide_index=True, width="stretch",
                 column_config={"First source": st.column_config.LinkColumn("First source")})
    left, right = st.columns(2)
    left.download_button("Download CSV (filtered)", to_csv(view), "alleged-police-stations.csv",
                         "text/csv", disabled=view.empty)
    right.download_button("Download CSV + GeoJSON + README (zip)", to_zip(view, ds.data_date, line),
                          "alleged-police-stations.zip", "application/zip", disabled=view.empty)
with chart_tab:
    left, right = st.columns(2)
    left.subheader("By country")
    left.bar_chart(view["country"].value_counts(), horizontal=True)
    right.subheader("By founding bureau")
    right.bar_chart(view["bureau"].value_counts(), horizontal=True)
with source_tab:
    st.dataframe(source_table(view), hide_index=True, width="stretch",
                 column_config={"Link": st.column_config.LinkColumn("Link")})
with method_tab:
    st.markdown(METHOD.format(data_date=ds.data_date, stations=len(df),
                              countries=df["country_code"].nunique()))
    st.markdown(REPORTS)
