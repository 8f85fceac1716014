"""Numbers, shares, dates, weekdays and times as the language in use writes them (Babel).

Why Babel and not hand-made formats: a Chinese reader expects 2026年3月2日 星期一 and
an English one Monday, 2 March 2026; thousands separators and percent signs differ
too. Times are shown in the plan's time zone, named in the caller's label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from babel import dates, numbers

from i18n.core import Language, current_language, normalize_language

BABEL_LOCALES: dict[Language, str] = {"zh-CN": "zh_Hans_CN", "en": "en_GB"}
"""The Babel locale of each language (British English: 24-hour times, day first)."""


def _locale(lang: str | None = None) -> str:
    return BABEL_LOCALES[normalize_language(lang) or current_language()]


def format_number(value: float, digits: int = 0, lang: str | None = None) -> str:
    """``value`` with ``digits`` decimals and the locale's separators."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return numbers.format_decimal(value, format=pattern, locale=_locale(lang))


def format_count(value: int, lang: str | None = None) -> str:
    """A whole number with the locale's thousands separator."""
    return numbers.format_decimal(int(value), format="#,##0", locale=_locale(lang))


def format_percent(share: float, digits: int = 1, lang: str | None = None) -> str:
    """A share 0-1 as a percentage: 0.933 -> '93.3%'."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return numbers.format_percent(share, format=pattern, locale=_locale(lang))


def _zoned(moment: dt.datetime, tz: str | None) -> dt.datetime:
    if tz is None:
        return moment
    zone = ZoneInfo(tz)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def format_datetime(moment: dt.datetime, tz: str | None = None, lang: str | None = None) -> str:
    """Date and time, e.g. '2026年3月2日 09:00' / '2 Mar 2026, 09:00', in zone ``tz``."""
    moment = _zoned(moment, tz)
    locale = _locale(lang)
    day = dates.format_date(moment.date(), format="medium", locale=locale)
    return f"{day} {dates.format_time(moment, format='HH:mm', locale=locale)}"


def format_time(moment: dt.datetime, tz: str | None = None, lang: str | None = None) -> str:
    """Weekday and clock time, e.g. '周一 09:00' / 'Mon 09:00', in zone ``tz``."""
    moment = _zoned(moment, tz)
    locale = _locale(lang)
    return (
        f"{format_weekday(moment, lang=lang)} {dates.format_time(moment, 'HH:mm', locale=locale)}"
    )


def format_weekday(
    moment: dt.date | dt.datetime, width: str = "abbreviated", lang: str | None = None
) -> str:
    """The weekday's name: 'Mon' / '周一' (``width`` 'wide': 'Monday' / '星期一')."""
    pattern = "EEEE" if width == "wide" else "EEE"
    return dates.format_date(moment, format=pattern, locale=_locale(lang))


def local_text(
    texts: str | Mapping[str, str] | None, fallback: str = "", lang: str | None = None
) -> str:
    """A text given in one or both languages, in the language in use.

    Falls back to the other language, then to ``fallback`` (an id), so a name is
    never blank.
    """
    if texts is None:
        return fallback
    texts = getattr(texts, "texts", texts)  # plans.types.LocalText carries both languages
    if isinstance(texts, str):
        return texts or fallback
    want = normalize_language(lang) or current_language()
    by_lang = {normalize_language(k) or k: v for k, v in texts.items() if v}
    if want in by_lang:
        return by_lang[want]
    for value in by_lang.values():
        return value
    return fallback
