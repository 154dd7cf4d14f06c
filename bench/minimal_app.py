"""The smallest Streamlit page: the yardstick bench/first_map.py holds the app's first map to."""

import streamlit as st

st.title("A minimal Streamlit page")
