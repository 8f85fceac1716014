"""The command line's language: ``--lang``, the environment, the plan; argparse's own words.

Why argparse's words are translated here: argparse writes "usage:", "options",
"error:" and its complaints through the module-level ``gettext`` it imported, so
they would stay English on a Chinese command line. :func:`install` points those
names at our catalogs (English: unchanged). argparse translates some of them when
a parser is built ("positional arguments", "options"), so the language is set
from a first look at the arguments before the parser is built.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from typing import Any

from i18n import LANGUAGES, N_, _, choose_language, ngettext, normalize_language, set_language
from i18n.core import LANG_ENV

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)
"""The messages argparse shows a person, marked so the catalog holds them."""
ARGPARSE_PLURALS = (ngettext("expected %s argument", "expected %s arguments", 2),)

_user_chose = False
"""Whether ``--lang`` or the environment chose the language (then a plan does not)."""


def _argparse_gettext(message: str) -> str:
    return _(message)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n)


def install() -> None:
    """Make argparse speak the language in use (English: its own words, unchanged)."""
    vars(argparse).update(_=_argparse_gettext, ngettext=_argparse_ngettext)


def language_arg(text: str) -> str:
    """argparse type of ``--lang``: zh-CN or en (zh_CN, zh, en_GB and the like accepted)."""
    found = normalize_language(text)
    if found is None:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a language drillsim speaks: use {choices}").format(
                value=text, choices=" or ".join(LANGUAGES)
            )
        )
    return found


def lang_parent() -> argparse.ArgumentParser:
    """The parent parser giving every command ``--lang``."""
    parent = argparse.ArgumentParser(add_help=False)
    add_lang(parent)
    return parent


def add_lang(parser: argparse.ArgumentParser) -> None:
    """Add ``--lang`` (no default: the one before the command is not overwritten)."""
    parser.add_argument(
        "--lang",
        type=language_arg,
        default=argparse.SUPPRESS,
        metavar="{zh-CN,en}",
        help=_(
            "language of the output (default: $DRILLSIM_LANG, else $LC_ALL or $LANG, "
            "else the plan's own language, else English)"
        ),
    )


def given_lang(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` in the arguments, before they are parsed (last one wins)."""
    found = None
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def start(argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
    """Set the language from ``--lang`` and the environment, before any output."""
    global _user_chose
    env = os.environ if env is None else env
    explicit = given_lang(argv)
    tags = (explicit, env.get(LANG_ENV), env.get("LC_ALL"), env.get("LANG"))
    _user_chose = any(normalize_language(t) for t in tags)
    set_language(choose_language(explicit, None, env))


def adopt_plan_language(plan: Any) -> None:
    """After a plan is loaded: speak its ``meta.language`` if nobody chose a language."""
    wanted = getattr(getattr(plan, "meta", None), "language", None)
    if not _user_chose and normalize_language(wanted) is not None:
        set_language(str(wanted))


class SubParsers:
    """The sub-parsers action, giving every command the shared ``--lang`` option."""

    def __init__(self, action: Any) -> None:
        self.action = action
        self.parent = lang_parent()

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs["parents"] = [*kwargs.get("parents", []), self.parent]
        parser: argparse.ArgumentParser = self.action.add_parser(name, **kwargs)
        return parser
