"""Inputs sent to worker processes once per worker, not once per task.

Why: a process pool or Dask pickles a task's arguments for every task. A staffing search
sends one replication a task (so a level can stop at its first miss), and each task
carried the whole plan and scenario (48 KB): pickled here, unpickled there, and, as a
new object each time, missing every cache the worker keeps by the plan's identity
(validated staff groups, the customers' rate tables). A :class:`Shipped` value is
pickled once in this process; a worker unpickles it the first time and hands the same
object to every later task that brings it (kept by a digest of its bytes).
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any, Generic, TypeVar

T = TypeVar("T")

__all__ = ["Shipped"]

_KEEP = 8
"""Values a worker keeps at once: the levels of a search or variants of a comparison
come one after another, so a few suffice."""


class Shipped(Generic[T]):
    """A value, sent to other processes as bytes pickled once and unpickled once there."""

    __slots__ = ("_wire", "value")

    def __init__(self, value: T) -> None:
        self.value = value
        self._wire: tuple[bytes, bytes] | None = None

    def __reduce__(self) -> tuple[Any, tuple[bytes, bytes]]:
        if self._wire is None:
            blob = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
            self._wire = (hashlib.blake2b(blob, digest_size=16).digest(), blob)
        return (_arrived, self._wire)


_ARRIVED: dict[bytes, Shipped[Any]] = {}


def _arrived(digest: bytes, blob: bytes) -> Shipped[Any]:
    """The value a worker already unpickled from these bytes, or it unpickled now."""
    kept = _ARRIVED.get(digest)
    if kept is None:
        if len(_ARRIVED) >= _KEEP:
            _ARRIVED.clear()
        kept = _ARRIVED[digest] = Shipped(pickle.loads(blob))
    return kept
