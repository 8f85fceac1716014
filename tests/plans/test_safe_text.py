"""User text shown as text (issue 18, section 4); the browser test of the console is in
tests/dashboard/test_console_security.py."""

from __future__ import annotations

from plans.safe_text import markdown_literal, neutral


def test_every_markdown_sign_is_escaped():
    text = "![x](http://e.example/p.png) **b** _i_ `c` <img> a|b ~s~ $x$ :icon: &amp;"
    escaped = markdown_literal(text)
    for sign in "![]*_`<>|~$:&":
        assert sign not in escaped.replace("\\" + sign, "")  # each one escaped
    assert escaped.replace("\\", "") == text  # nothing else changed
    assert markdown_literal("two\nlines") == "two  \nlines"


def test_bidi_controls_are_removed():
    tricky = "drill \u202egnp.exe\u202c name \u2066x\u2069"
    assert neutral(tricky) == "drill gnp.exe name x"
    assert "\u202e" not in markdown_literal(tricky)
