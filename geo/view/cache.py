"""A small bounded cache for what every session asks for alike (the default map page, its
payload, its table): made once per process, the oldest dropped first when it is full."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Bounded:
    def __init__(self, limit: int = 64):
        self.limit = limit
        self.items: dict[Hashable, object] = {}

    def get(self, key: Hashable | None, make: Callable[[], T]) -> T:
        """The value for key, made (and kept) on a miss; with key None, made and not kept."""
        if key is None:
            return make()
        if key in self.items:
            return self.items[key]  # type: ignore[return-value]
        value = make()
        if len(self.items) >= self.limit:
            self.items.pop(next(iter(self.items)))
        self.items[key] = value
        return value

    def __len__(self) -> int:
        return len(self.items)


_MEMO: dict[tuple[str, int], tuple[weakref.ref, object]] = {}


def memo(what: str, frame, make: Callable[[object], T]) -> T:
    """What a frame always gives (its numeric years, its months, its names in a language), made
    once per frame object: the curated data is one object shared by every session, so reruns
    reuse it. Keyed by the object itself (a weak reference), never by an id a new frame may reuse."""
    key = (what, id(frame))
    held = _MEMO.get(key)
    if held is not None and held[0]() is frame:
        return held[1]  # type: ignore[return-value]
    value = make(frame)
    if len(_MEMO) > 256:  # a backstop: entries normally leave with their frame (below)
        _MEMO.clear()
    _MEMO[key] = (weakref.ref(frame), value)
    weakref.finalize(frame, _MEMO.pop, key, None)  # a filtered view's copy dies with the view
    return value
