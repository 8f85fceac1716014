"""Import rules: dashboard -> sim -> scenarios -> plans, never against the arrows.

Why a test: the layering is what keeps the simulation usable without the console
and the plan model usable without the simulation; one stray import undoes it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("plans", "scenarios", "sim", "dashboard")
MAY_IMPORT = {
    "plans": set(),
    "scenarios": {"plans"},
    "sim": {"plans", "scenarios"},
    "dashboard": {"plans", "scenarios", "sim"},
}
THIRD_PARTY = {
    "plans": {"pydantic", "pydantic_core", "networkx", "yaml", "numpy"},
    "scenarios": {"pydantic", "pydantic_core", "yaml", "numpy"},
    "sim": {"simpy", "numpy", "networkx", "pydantic", "pydantic_core", "dask"},
    "dashboard": {"pydantic", "numpy", "matplotlib", "streamlit", "yaml", "networkx", "reportlab"},
}
UI_ONLY = {"streamlit"}


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_imports_follow_the_layers(path):
    package = path.relative_to(ROOT).parts[0]
    imported = _imports(path)
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    ours = imported & set(PACKAGES) - {package}
    assert ours <= MAY_IMPORT[package], f"{path.name} imports {sorted(ours - MAY_IMPORT[package])} against the layers"
    foreign = imported - stdlib - set(PACKAGES)
    assert foreign <= THIRD_PARTY[package], f"{path.name} imports {sorted(foreign - THIRD_PARTY[package])}"


UI_MODULES = {"dashboard/app.py", "dashboard/state.py", "dashboard/services.py", "dashboard/signin.py", "dashboard/widgets.py"}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_streamlit_only_in_console_modules(path):
    rel = path.relative_to(ROOT).as_posix()
    in_ui = rel in UI_MODULES or rel.startswith("dashboard/pages/")
    if not in_ui:
        assert not (_imports(path) & UI_ONLY), f"{rel} imports streamlit outside the console pages"


def test_no_package_imports_dashboard_from_below():
    for path in _modules():
        package = path.relative_to(ROOT).parts[0]
        if package != "dashboard":
            assert "dashboard" not in _imports(path), path
