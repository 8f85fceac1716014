"""The layout's rules: imports run one way, modules stay small, no import cycles.

Why tests and not a convention: one stray import undoes the layering that keeps the
simulation usable without the console and the plan model usable without the
simulation; one 900-line module hides what it does. The rules are functions over a
source tree, so each is also shown to fail on a planted violation in a temporary tree.

Layers, each importing only those to its left:
``i18n <- plans <- scenarios <- sim <- drills <- reports <- {drillsim, dashboard}``
(the translation layer sits below the plans because the loader's messages are
translated too).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS: tuple[tuple[str, ...], ...] = (
    ("i18n",),
    ("plans",),
    ("scenarios",),
    ("sim",),
    ("history",),
    ("drills",),
    ("reports",),
    ("drillsim", "dashboard"),
)
PACKAGES = tuple(p for layer in LAYERS for p in layer)
MAX_LINES = 400

_BASE = {"pydantic", "pydantic_core", "numpy", "yaml", "babel"}
THIRD_PARTY: dict[str, set[str]] = {
    "i18n": {"babel"},
    "plans": _BASE | {"networkx"},
    "scenarios": _BASE,
    "sim": _BASE | {"simpy", "networkx", "dask", "distributed", "scipy"},
    "history": _BASE | {"scipy"},
    "drills": _BASE | {"networkx", "scipy"},
    "reports": _BASE
    | {"matplotlib", "reportlab", "networkx", "docx", "scipy", "paperang_p2_fonts_cjk"},
    "drillsim": _BASE | {"networkx", "scipy"},
    "dashboard": _BASE | {"matplotlib", "streamlit", "networkx", "reportlab"},
}
"""Third-party packages each layer may use: streamlit only in the console, matplotlib
only in reports and the console."""


def may_import(package: str) -> set[str]:
    """The packages of ours that ``package`` may import: itself and the layers left of it."""
    for i, layer in enumerate(LAYERS):
        if package in layer:
            return {package} | {p for left in LAYERS[:i] for p in left}
    raise KeyError(package)


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of our packages under ``root``."""
    found: dict[str, Path] = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imported_names(path: Path, module: str) -> set[str]:
    """Every dotted name a module imports, TYPE_CHECKING blocks and functions included.

    ``from a.b import c`` yields ``a.b.c`` and ``a.b`` (whichever is a module is used
    by the cycle rule); relative imports are resolved against ``module``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}
    return names


def layer_violations(root: Path) -> list[str]:
    """Imports against the layers, and third-party packages a layer may not use."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    problems = []
    for module, path in modules(root).items():
        package = module.split(".")[0]
        tops = {n.split(".")[0] for n in imported_names(path, module)}
        for bad in sorted((tops & set(PACKAGES)) - may_import(package)):
            problems.append(f"{path.relative_to(root)}: imports {bad}, against the layers")
        for bad in sorted(tops - stdlib - set(PACKAGES) - THIRD_PARTY[package]):
            problems.append(f"{path.relative_to(root)}: imports {bad}, not allowed in {package}/")
    return problems


def oversized(root: Path, limit: int = MAX_LINES) -> list[str]:
    """Modules longer than ``limit`` lines."""
    out = []
    for path in modules(root).values():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > limit:
            out.append(f"{path.relative_to(root)}: {n} lines (at most {limit})")
    return out


def import_cycles(root: Path) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop."""
    mods = modules(root)
    graph = nx.DiGraph()
    graph.add_nodes_from(mods)
    for module, path in mods.items():
        for name in imported_names(path, module):
            # an import of a.b.c also runs a/__init__ and a/b/__init__, but those are
            # the package docstrings: only the module named is an edge
            if name in mods and name != module:
                graph.add_edge(module, name)
    return sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)


# ---- the rules on this tree ------------------------------------------------------


def test_imports_follow_the_layers_and_the_allowed_libraries():
    assert layer_violations(ROOT) == []


def test_no_module_is_over_400_lines():
    assert oversized(ROOT) == []


def test_no_import_cycle_between_modules_also_under_type_checking():
    assert import_cycles(ROOT) == []


def test_each_package_says_what_lives_there_and_who_may_import_it():
    for pkg in PACKAGES:
        init = ROOT / pkg / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) >= 2, f"{pkg}/__init__.py needs a docstring"
        assert "import" in doc, f"{pkg}/__init__.py should say who may import it"
    for sub in ("engine", "response", "analysis"):
        assert (ROOT / "sim" / sub / "__init__.py").exists()


def test_python_dash_m_drillsim_is_the_command_line():
    main = (ROOT / "drillsim" / "__main__.py").read_text()
    assert "from drillsim.cli import main" in main


# ---- the rules fail on planted violations ----------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for pkg in PACKAGES:
        (tmp_path / pkg).mkdir(exist_ok=True)
        (tmp_path / pkg / "__init__.py").write_text('"""Package."""\n')
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_planted_import_against_the_layers_is_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "plans/model.py": "from sim.engine import simulation\n",
            "sim/engine/simulation.py": "import streamlit\nfrom plans import model\n",
            "drills/store.py": "from reports import aar\n",
            "reports/aar.py": "from drills import store\nimport matplotlib\n",
            "drillsim/cli.py": "from dashboard import app\n",
        },
    )
    found = layer_violations(root)
    assert "plans/model.py: imports sim, against the layers" in found
    assert "sim/engine/simulation.py: imports streamlit, not allowed in sim/" in found
    assert "drills/store.py: imports reports, against the layers" in found
    assert "drillsim/cli.py: imports dashboard, against the layers" in found
    assert not [
        p for p in found if p.startswith("reports/aar.py")
    ]  # right of drills, matplotlib allowed
    assert len(found) == 4


def test_a_planted_401_line_module_is_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "sim/long.py": "x = 1\n" * 401,
            "sim/fits.py": "x = 1\n" * 400,
        },
    )
    assert oversized(root) == ["sim/long.py: 401 lines (at most 400)"]


def test_a_planted_cycle_is_found_also_under_type_checking(tmp_path):
    root = _tree(
        tmp_path,
        {
            "sim/engine/simulation.py": "from sim.response import controller\n",
            "sim/response/controller.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from sim.engine.simulation import Simulation\n"
            ),
            "sim/engine/__init__.py": '"""E."""\n',
            "sim/response/__init__.py": '"""R."""\n',
            "drills/a.py": "from . import b\n",
            "drills/b.py": "from .a import thing\n",
        },
    )
    assert import_cycles(root) == [
        ["drills.a", "drills.b"],
        ["sim.engine.simulation", "sim.response.controller"],
    ]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_is_installed_by_the_project(package):
    text = (ROOT / "pyproject.toml").read_text()
    assert f'"{package}*"' in text
