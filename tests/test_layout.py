"""The house rules of geo/: three wings, imports one way (view and upload use data; data uses neither)."""

import ast
from pathlib import Path

GEO = Path(__file__).resolve().parent.parent / "geo"


def geo_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geo"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("geo"))
    return found


def test_geo_is_three_wings():
    wings = sorted(p.name for p in GEO.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert wings == ["data", "upload", "view"]


def test_data_wing_imports_neither_view_nor_upload():
    bad = {
        f"{path.relative_to(GEO)}: {name}"
        for path in (GEO / "data").glob("*.py")
        for name in geo_imports(path)
        if name.startswith(("geo.view", "geo.upload"))
    }
    assert not bad, f"the data wing must not import the other wings: {sorted(bad)}"


def test_upload_and_view_do_not_import_each_other():
    bad = {
        f"{path.relative_to(GEO)}: {name}"
        for wing, other in (("view", "geo.upload"), ("upload", "geo.view"))
        for path in (GEO / wing).glob("*.py")
        for name in geo_imports(path)
        if name.startswith(other)
    }
    assert not bad, sorted(bad)
