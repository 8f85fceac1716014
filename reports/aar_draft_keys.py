"""drillsim's drafted findings with keys that do not depend on the language.

Why keys: drafts are not stored (:mod:`reports.aar_drafts` words them afresh, in the
reader's language); a person accepts or discards one, and the decision is kept by
the draft's key (:mod:`drills.draft_decisions`), so a discarded draft does not come
back when the page is read in Chinese after it was discarded in English. The key is
a hash of the draft's kind, capability and English observation: a draft whose facts
change (the drill went on, a step's time moved) is a new draft.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from i18n import language
from reports.aar_drafts import draft_findings
from reports.aar_records import AarInput, FindingText


def draft_key(english: FindingText) -> str:
    """The key of a draft, from its English wording."""
    text = f"{english.kind}|{english.capability}|{english.observed}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def keyed_drafts(aar: AarInput) -> list[tuple[str, FindingText]]:
    """(key, draft in the language in use) for every finding drillsim drafts for ``aar``."""
    shown = draft_findings(aar)
    with language("en"):
        english = draft_findings(aar)
    keys: list[str] = []
    for f in english if len(english) == len(shown) else shown:
        key = draft_key(f)
        n = 2
        while key in keys:  # two drafts alike: number the later ones
            key = f"{draft_key(f)}-{n}"
            n += 1
        keys.append(key)
    return list(zip(keys, shown, strict=True))


def pending(
    drafts: Iterable[tuple[str, FindingText]],
    decided: Iterable[str],
    stored: Iterable[FindingText],
) -> list[tuple[str, FindingText]]:
    """The drafts nobody accepted or discarded yet, and not stored already word for word
    (drafts written into the database before drafts had keys)."""
    done = set(decided)
    same = {(f.kind, f.capability, f.observed) for f in stored}
    return [
        (k, f)
        for k, f in drafts
        if k not in done and (f.kind, f.capability, f.observed) not in same
    ]
