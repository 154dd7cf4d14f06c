"""Production settings a deployment relies on."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_streamlit_production_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableStaticServing"] is True  # the map's JS is served locally
    assert config["server"]["maxUploadSize"] <= 5
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
