"""Which language is in use, and the gettext functions that translate into it.

Why a context variable and not a global: the console serves several sessions from
one process, each on a thread of its own and each in its own language; a command
line sets it once. Why the catalogs are compiled in memory at first use: the ``.po``
files are the only source kept in the repository (reviewable, diffable), no build
step is needed for an editable install, and English, the language of the code,
needs no catalog at all.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import os
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Literal, cast

Language = Literal["zh-CN", "en"]
LANGUAGES: tuple[Language, ...] = ("zh-CN", "en")
"""The languages drillsim speaks: Simplified Chinese and English."""
DEFAULT_LANGUAGE: Language = "en"
"""When nothing chooses: the language the code is written in."""
LANG_ENV = "DRILLSIM_LANG"
LOCALE_DIR = Path(__file__).with_name("locale")
CATALOG_DIRS: dict[Language, str] = {"zh-CN": "zh_CN"}
"""Folder of each translated language under ``locale/`` (English is the source)."""

_current: ContextVar[Language] = ContextVar("drillsim_language", default=DEFAULT_LANGUAGE)


def normalize_language(tag: str | None) -> Language | None:
    """'zh', 'zh_CN.UTF-8', 'zh-Hans', 'ZH-cn' -> 'zh-CN'; 'en_GB' -> 'en'; else None.

    ``C`` and ``POSIX`` (no language chosen) and languages drillsim does not speak
    give None, so the next rule decides.
    """
    if not tag:
        return None
    base = tag.split(".")[0].split("@")[0].replace("_", "-").strip().lower()
    if base == "zh" or base.startswith(("zh-cn", "zh-hans", "zh-sg")):
        return "zh-CN"
    if base == "en" or base.startswith("en-"):
        return "en"
    return None


def choose_language(
    explicit: str | None = None,
    plan_language: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Language:
    """The language to use: the user's choice, DRILLSIM_LANG, LANG, the plan's, English.

    ``explicit`` is ``--lang`` or the console's switch. A value that names no
    language drillsim speaks is passed over (the CLI refuses a bad ``--lang``
    before it gets here).
    """
    env = os.environ if env is None else env
    for tag in (explicit, env.get(LANG_ENV), env.get("LC_ALL"), env.get("LANG"), plan_language):
        found = normalize_language(tag)
        if found is not None:
            return found
    return DEFAULT_LANGUAGE


def set_language(lang: str) -> Language:
    """Use ``lang`` from now on in this thread or task; returns the language set."""
    found = normalize_language(lang)
    if found is None:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    _current.set(found)
    return found


def current_language() -> Language:
    """The language in use here."""
    return _current.get()


@contextlib.contextmanager
def language(lang: str) -> Iterator[Language]:
    """Use ``lang`` inside the ``with`` block only (a report in another language)."""
    found = normalize_language(lang) or DEFAULT_LANGUAGE
    token = _current.set(found)
    try:
        yield found
    finally:
        _current.reset(token)


def catalog_files(lang: Language) -> list[Path]:
    """The ``.po`` files of one language, one per part of drillsim."""
    folder = CATALOG_DIRS.get(lang)
    if folder is None:
        return []
    return sorted((LOCALE_DIR / folder / "LC_MESSAGES").glob("*.po"))


@cache
def translations(lang: Language) -> gettext.NullTranslations:
    """All catalogs of ``lang`` merged and compiled in memory (English: none needed)."""
    files = catalog_files(lang)
    if not files:
        return gettext.NullTranslations()
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged = Catalog(locale=CATALOG_DIRS[lang], domain="drillsim")
    for path in files:
        with path.open("rb") as fh:
            for message in read_po(fh):
                if message.id and message.string and not message.fuzzy:
                    merged.add(message.id, message.string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """``message`` (English) in the language in use."""
    lang = _current.get()
    if lang == "en":
        return message
    return translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the language in use."""
    lang = _current.get()
    if lang == "en":
        return singular if n == 1 else plural
    return translations(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it yet.

    For texts defined at import, before any language is chosen (a table of labels);
    they are translated where they are shown, with ``_(value)``.
    """
    return message


def language_name(lang: str) -> str:
    """A language's name in itself, for a language switch."""
    return {"zh-CN": "中文", "en": "English"}[cast(Language, normalize_language(lang) or lang)]
