"""Tables and prose read once per process while their file stays the same.

In a batch every province's report reads the same shared tables (the per-province indicators, the
targets). A warm kernel keeps module state from one unit to the next (`%reset` clears only the notebook's
names), so with this cache each shared table is parsed and validated once per worker, not once per unit.
The key is the path as given (results name the file as the caller did), and the size and modification time
in nanoseconds of the file and of a table's twin (x.xlsx beside x.csv): a file saved again is read again. A read that raises is not cached, so the error is raised, with its context, every time.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, TypeVar

from .readers import table_candidates

T = TypeVar("T")


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def by_file(read: Callable[..., T]) -> Callable[..., T]:
    """Memoize `read(path, *args)` on the file's identity and the other arguments.

    The result is shared between callers: they must not mutate it (the readers return fresh lists that
    callers only concatenate)."""
    results: dict[tuple, tuple[tuple, T]] = {}  # (path, args) → (file identity, result): one entry per file

    @functools.wraps(read)
    def cached(path: Path, *args):
        identity = tuple(_stat(p) for p in table_candidates(path))  # a table's twin counts: see readers.table_file
        if not any(identity):
            return read(path, *args)  # the reader reports a missing or unreadable file in its own words
        key = (str(path), *args)
        if key not in results or results[key][0] != identity:
            results[key] = (identity, read(path, *args))
        return results[key][1]

    cached.cache_clear = results.clear  # type: ignore[attr-defined]
    return cached
