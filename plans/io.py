"""The one loader: read a YAML file into a frozen model, reporting every problem at once.

Why one loader for plans and scenarios: the same mistakes (a tab in YAML, a misspelt
field, a duration without a unit) must get the same message wherever they are made.
Files are read with YAML's safe loader only; size, emptiness, binary content and
directories are refused with a clear message before parsing.

Why two parsers: libyaml's (``yaml.CSafeLoader``, when PyYAML was built with it) reads
a plan about eight times faster than PyYAML's own, and the console and ``drillsim
check`` wait for it; its nodes carry the same line marks. Its error messages are not
PyYAML's word for word, so a file it refuses is parsed again by the pure-Python loader,
whose message (and line) a user has always been shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from i18n import _, format_count
from plans.checks import CONSISTENCY_ERROR
from plans.files import FileRefused, read_bytes
from plans.issues import Issue, Loc, ModelFileError
from plans.reasons import error_reason, tag_issue
from plans.refs import reference_issues
from plans.types import FROM_FILE

M = TypeVar("M", bound=BaseModel)
MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest file accepted; a real plan is a few tens of kilobytes."""

LineMap = dict[Loc, int]

MAX_NODES = 200_000
"""Most YAML nodes a file may hold once aliases are expanded; guards against alias bombs."""


class _SafeLoader(yaml.SafeLoader):
    """YAML's safe loader, except that an impossible date stays text for the model to refuse."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # e.g. 2026-13-10: PyYAML raises a bare ValueError
        return loader.construct_scalar(node)


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"  # not for people: YAML tag
_SafeLoader.add_constructor(_TIMESTAMP_TAG, _construct_timestamp)

_FastLoader: type[Any] | None = None
"""libyaml's safe loader with the same timestamp rule, or None without libyaml."""
if getattr(yaml, "__with_libyaml__", False):

    class _CSafeLoader(yaml.CSafeLoader):
        """libyaml's safe loader, with an impossible date kept as text (as above)."""

    _CSafeLoader.add_constructor(_TIMESTAMP_TAG, _construct_timestamp)
    _FastLoader = _CSafeLoader


def read_text(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a user's file as UTF-8 text, refusing what cannot be a YAML document.

    Only a regular file is read (a FIFO or a device is refused before it can hang or
    flood the reader; see :mod:`plans.files`).
    """
    p = Path(path)
    try:
        raw = read_bytes(p, max_bytes)
    except FileRefused as exc:
        raise ModelFileError(p, [Issue((), exc.reason)]) from None
    return decode_text(raw, p)


def decode_text(raw: bytes, path: str | Path) -> str:
    """Decode bytes from a file or an upload, refusing binary and empty content."""
    if b"\x00" in raw:
        raise ModelFileError(path, [Issue((), _("is a binary file, not YAML text"))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = _("is not UTF-8 text (bad byte at offset {offset})").format(offset=exc.start)
        raise ModelFileError(path, [Issue((), msg)]) from None
    if not text.strip():
        raise ModelFileError(path, [Issue((), _("file is empty"))])
    return text


def parse_yaml(text: str, path: str | Path) -> tuple[Any, LineMap, list[Issue]]:
    """Parse with the safe loader; return data, a path -> line map and duplicate-key issues."""
    parsed = _parse_fast(text, path)
    if parsed is None:
        parsed = _parse_python(text, path)
    data, node = parsed
    lines: LineMap = {(): node.start_mark.line + 1}
    duplicates: list[Issue] = []
    _map_lines(node, (), lines, duplicates)
    return data, lines, duplicates


def _parse_fast(text: str, path: str | Path) -> tuple[Any, yaml.Node] | None:
    """Data and root node by libyaml; None when it is missing or refuses the text (the
    pure-Python parser then says why, as it always has)."""
    if _FastLoader is None:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node, path)
        return loader.construct_document(node), node
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def _parse_python(text: str, path: str | Path) -> tuple[Any, yaml.Node]:
    """Data and root node by PyYAML's own parser, or the ModelFileError saying what is wrong."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ModelFileError(path, [Issue((), _("file holds no YAML document"))])
        _check_size(node, path)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context
        start, problem = exc.context_mark, exc.problem_mark
        if context and start and problem and start.line != problem.line:
            context = _("{context} (started on line {line})").format(
                context=context, line=start.line + 1
            )
            if exc.problem == "could not find expected ':'":
                mark = start  # PyYAML notices a missing ':' only on the next line
        line = mark.line + 1 if mark else None
        reason = " ".join(str(part) for part in (context, exc.problem) if part)
        if "'\\t'" in reason:
            reason = _("{reason} (indent with spaces: YAML does not allow tabs)").format(
                reason=reason
            )
        syntax = not isinstance(exc, yaml.constructor.ConstructorError)  # e.g. a !!python tag
        label = _("YAML syntax error: {reason}") if syntax else _("YAML error: {reason}")
        raise ModelFileError(path, [Issue((), label.format(reason=reason), line)]) from None
    except yaml.YAMLError as exc:
        msg = _("YAML error: {reason}").format(reason=exc)
        raise ModelFileError(path, [Issue((), msg)]) from None
    except RecursionError:
        raise ModelFileError(path, [Issue((), _("YAML is nested too deeply"))]) from None
    finally:
        loader.dispose()
    return data, node


def _check_size(root: yaml.Node, path: str | Path) -> None:
    """Refuse a node graph that is cyclic or too large once aliases are expanded."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            line = node.start_mark.line + 1
            msg = _("an alias refers to a node that contains it; recursive YAML is not allowed")
            raise ModelFileError(path, [Issue((), msg, line)])
        active.add(key)
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        sizes[key] = 1 + sum(size(child) for child in children)
        active.discard(key)
        return sizes[key]

    total = size(root)
    if total > MAX_NODES:
        msg = _("file expands to {total} YAML nodes through aliases; the limit is {limit}").format(
            total=format_count(total), limit=format_count(MAX_NODES)
        )
        raise ModelFileError(path, [Issue((), msg)])


def _map_lines(node: yaml.Node, loc: Loc, lines: LineMap, duplicates: list[Issue]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*loc, key)
            if key in seen:
                duplicates.append(
                    Issue(
                        child,
                        _("key '{key}' appears twice in the same mapping").format(key=key),
                        key_node.start_mark.line + 1,
                    )
                )
            seen.add(key)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _map_lines(value_node, child, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            _map_lines(item, (*loc, i), lines, duplicates)


def line_for(lines: LineMap, loc: Loc) -> int | None:
    """Line of the deepest part of ``loc`` that the file spells out."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _clean_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's union-branch tags so the path matches the file."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if (
            isinstance(node, list | tuple)
            and isinstance(part, int)
            and 0 <= part < len(node)
            or isinstance(node, Mapping)
            and part in node
        ):
            out.append(part)
            node = node[part]
        elif (
            isinstance(node, Mapping)
            and isinstance(part, str)
            and part in {v for v in node.values() if isinstance(v, str)}
        ):
            continue  # a discriminated union's tag (the event's kind, the distribution's family)
        elif (
            isinstance(node, Mapping)
            and isinstance(part, str)
            and part.isidentifier()
            and not _is_tag(part)
        ):
            out.append(part)  # a missing field: name it, then stop descending
            node = None
        # anything else is a union tag such as 'function-after[...]' or 'str': skip it
    return tuple(out)


def _is_tag(part: str) -> bool:
    return part in {"str", "int", "float", "bool", "list", "tuple", "dict", "none", "date"}


def validation_issues(cls: type[BaseModel], data: Any, exc: ValidationError) -> list[Issue]:
    """Turn pydantic's errors into issues with file paths and plain reasons."""
    issues: list[Issue] = []
    errors = exc.errors(include_url=False)
    for err in errors:
        if err["type"] == "too_short" and _has_inner_error(err["loc"], errors):
            continue  # items that failed were dropped; the length error would mislead
        if err["type"] == CONSISTENCY_ERROR:
            ctx = err.get("ctx") or {}
            issues.extend(Issue(tuple(loc), msg) for loc, msg in ctx.get("issues", []))
            continue
        loc = _clean_loc(data, err["loc"])
        if err["type"] in {"union_tag_invalid", "union_tag_not_found"}:
            issues.append(tag_issue(err, loc))
            continue
        issues.append(Issue(loc, error_reason(cls, err, loc, data)))
    return issues


def _has_inner_error(loc: tuple[Any, ...], errors: list[Any]) -> bool:
    return any(
        len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == tuple(loc) for e in errors
    )


def validate_data(
    cls: type[M],
    data: Any,
    path: str | Path,
    lines: LineMap | None = None,
    context: dict[str, Any] | None = None,
) -> M:
    """Validate already-parsed data into ``cls``, raising one error with every issue."""
    lines = lines or {}
    if not isinstance(data, Mapping):
        got = type(data).__name__ if data is not None else _("nothing")
        raise ModelFileError(
            path,
            [
                Issue(
                    (),
                    _("the top level must be a mapping of fields, got {got}").format(got=got),
                    lines.get(()),
                )
            ],
        )
    issues: list[Issue] = []
    try:
        model = cls.model_validate(data, context={**(context or {}), FROM_FILE: True})
    except ValidationError as exc:
        issues = validation_issues(cls, data, exc)
        if not any(e["type"] == CONSISTENCY_ERROR for e in exc.errors()):
            # Structure failed, so the after-validators never ran: report references too.
            issues += reference_issues(cls, data)
    else:
        return model
    unique = list(dict.fromkeys(issues))
    raise ModelFileError(path, [Issue(i.loc, i.msg, line_for(lines, i.loc)) for i in unique])


def load_model(path: str | Path, cls: type[M], context: dict[str, Any] | None = None) -> M:
    """Read ``path`` into ``cls``; raise :class:`ModelFileError` listing every problem."""
    return load_model_text(read_text(path), path, cls, context)


def load_model_text(
    text: str, path: str | Path, cls: type[M], context: dict[str, Any] | None = None
) -> M:
    """As :func:`load_model`, for text already in hand (an upload)."""
    data, lines, duplicates = parse_yaml(text, path)
    try:
        model = validate_data(cls, data, path, lines, context)
    except ModelFileError as exc:
        raise ModelFileError(path, [*duplicates, *exc.issues]) from None
    if duplicates:
        raise ModelFileError(path, duplicates)
    return model


def dump_model(model: BaseModel) -> str:
    """YAML text that loads back into an equal model."""
    data = model.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
