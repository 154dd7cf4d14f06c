"""Production settings a deployment relies on."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT


def test_streamlit_production_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableStaticServing"] is True  # the map's JS is served locally
    assert config["server"]["maxUploadSize"] <= 5
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    # what lets one server hold many readers (bench/README.md, "Server load"): no file watcher
    # walking every module and no full garbage collection after each script run
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False


def test_make_run_serves_this_machine_only_unless_told():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^ADDRESS \?= 127\.0\.0\.1$", makefile, flags=re.M)
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "--server.address $(ADDRESS)" in run
