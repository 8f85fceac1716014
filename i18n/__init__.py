"""The translation layer: gettext catalogs (zh-CN, en) and locale formats, with Babel.

Every string a person reads is written in English in the code, marked with ``_()``
(or ``N_()`` where it is defined before the language is known, ``ngettext()`` for
plurals) and translated from the ``.po`` catalogs under ``i18n/locale``. The bottom
layer: imports nothing of ours, and every package may import it.
"""

from i18n.core import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    Language,
    _,
    choose_language,
    current_language,
    language,
    ngettext,
    normalize_language,
    set_language,
)
from i18n.formats import (
    format_count,
    format_datetime,
    format_number,
    format_percent,
    format_time,
    format_weekday,
    local_text,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Language",
    "N_",
    "_",
    "choose_language",
    "current_language",
    "format_count",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_time",
    "format_weekday",
    "language",
    "local_text",
    "ngettext",
    "normalize_language",
    "set_language",
]
