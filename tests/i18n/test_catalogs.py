"""The catalogs match the code: every marked string translated, none stale, none unmarked.

Why extract and compare on every run: a string added in English and never translated
shows English in the middle of a Chinese page; a translation whose English changed
shows the old meaning. Babel extracts what the code marks (``_``, ``N_``,
``ngettext``); the second rule looks for prose a person reads that nobody marked.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES"
DOMAINS: dict[str, tuple[str, ...]] = {
    "plans": ("plans", "scenarios"),
    "sim": ("sim", "history"),
    "drills": ("drills",),
    "reports": ("reports",),
    "cli": ("drillsim",),
    "console": ("dashboard",),
}
"""Catalog file -> the packages whose strings it holds."""
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extracted(domain: str) -> dict[str, list[str]]:
    """msgid -> places, for every string the domain's code marks."""
    found: dict[str, list[str]] = {}
    for pkg in DOMAINS[domain]:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            for lineno, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=KEYWORDS
            ):
                ids = message if isinstance(message, tuple) else (message,)
                for msgid in ids:
                    if msgid:
                        found.setdefault(msgid, []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return found


def catalog(domain: str):
    """The domain's catalog: ``<domain>.po`` and any ``<domain>-<part>.po`` beside it."""
    paths = sorted(LOCALE.glob(f"{domain}.po")) + sorted(LOCALE.glob(f"{domain}-*.po"))
    if not paths:
        return None
    merged = None
    for path in paths:
        with path.open("rb") as fh:
            cat = read_po(fh)
        if merged is None:
            merged = cat
            continue
        for message in cat:
            if message.id:
                merged[message.id] = message
    return merged


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_every_marked_string_is_translated_and_none_is_stale(domain):
    code = extracted(domain)
    cat = catalog(domain)
    if cat is None:
        assert not code, f"{domain}.po is missing for {len(code)} marked strings"
        return
    in_catalog = {m.id if isinstance(m.id, str) else m.id[0]: m for m in cat if m.id}
    code_ids = set(code)
    missing = sorted(code_ids - set(in_catalog))
    assert not missing, f"not in {domain}.po: {missing[:10]} ({len(missing)} in all)"
    stale = sorted(set(in_catalog) - code_ids)
    assert not stale, f"stale in {domain}.po (no longer in the code): {stale[:10]}"
    untranslated = [mid for mid, m in in_catalog.items() if not m.string or m.fuzzy]
    assert not untranslated, f"untranslated in {domain}.po: {untranslated[:10]}"
    wrong = []
    for mid, m in in_catalog.items():
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        for s in strings:
            if fields(s) - set().union(*(fields(i) for i in ids)):
                wrong.append(mid)
    assert not wrong, f"translations naming fields the English does not: {wrong[:10]}"


def test_a_string_translated_in_two_catalogs_reads_the_same():
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for domain in DOMAINS:
        cat = catalog(domain)
        for m in cat or ():
            if m.id and isinstance(m.id, str):
                if m.id in seen and seen[m.id][1] != m.string:
                    clashes.append((m.id, seen[m.id][0], domain))
                seen.setdefault(m.id, (domain, m.string))
    assert not clashes, clashes[:10]


# ---- prose a person reads that is not marked -------------------------------------

PROSE = re.compile(r"[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}")
SHOWN_BY_KEYWORD = {
    "help",
    "description",
    "label",
    "message",
    "reason",
    "title",
    "caption",
    "placeholder",
    "summary",
    "epilog",
    "text",
    "value_label",
    "ylabel",
    "xlabel",
}
MARKERS = {"_", "N_", "ngettext"}
NOT_SHOWN = {
    "execute",
    "executescript",
    "executemany",
    "compile",
    "match",
    "search",
    "sub",
    "fullmatch",
    "startswith",
    "endswith",
    "split",
    "get",
    "setdefault",
    "strftime",
    "strptime",
    "fromisoformat",
    "Path",
    "open",
    "getenv",
    "warn",
    "filterwarnings",
    "simplefilter",
    "skip",
    "fail",
    "mark",
    "approx",
    "ContextVar",
    "TypeVar",
}
"""Calls whose string arguments are code, not text for people."""
EXEMPT = "# not for people"
"""A line ending in this comment (with a reason after it) holds no user text."""


def _text_of(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return ""


def unmarked(path: Path) -> list[str]:
    """Prose literals shown to people (printed, raised, drawn, a help text) outside ``_()``."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    inside_marker: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in MARKERS
        ):
            inside_marker |= {id(n) for n in ast.walk(node)}
    out = []

    def check(arg: ast.AST, where: ast.AST) -> None:
        for n in ast.walk(arg):
            if isinstance(n, ast.Call):
                break
        if id(arg) in inside_marker:
            return
        text = _text_of(arg)
        if not text or not PROSE.search(text):
            return
        line = lines[getattr(where, "lineno", 1) - 1]
        if EXEMPT in line or EXEMPT in lines[getattr(arg, "lineno", 1) - 1]:
            return
        out.append(f"{path.relative_to(ROOT)}:{getattr(arg, 'lineno', '?')}: {text[:60]!r}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in NOT_SHOWN or name in MARKERS:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant | ast.JoinedStr):
                    check(arg, node)
            for kw in node.keywords:
                if kw.arg in SHOWN_BY_KEYWORD:
                    check(kw.value, node)
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in node.exc.args:
                check(arg, node)
    return out


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_no_user_facing_prose_is_left_unmarked(domain):
    found = [
        p
        for pkg in DOMAINS[domain]
        for path in sorted((ROOT / pkg).rglob("*.py"))
        for p in unmarked(path)
    ]
    assert not found, f"{len(found)} unmarked strings, first: " + "\n".join(found[:15])


def test_the_unmarked_rule_catches_a_planted_string(tmp_path, monkeypatch):
    planted = ROOT / "drillsim" / "_planted_for_test.py"
    try:
        planted.write_text(
            'def f(x):\n    print(f"the plan has {x} errors")\n    print(_("marked text here"))\n'
        )
        assert unmarked(planted) == ["drillsim/_planted_for_test.py:2: 'the plan has  errors'"]
    finally:
        planted.unlink()
