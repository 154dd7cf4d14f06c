"""A small bounded cache for what every session asks for alike (the default map page, its
payload, its table): made once per process, the oldest dropped first when it is full."""

from __future__ import annotations

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
