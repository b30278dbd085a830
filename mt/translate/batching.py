"""Batching: sort by length, fill batches up to a token budget, restore order."""

from __future__ import annotations

from collections.abc import Sequence


def make_batches(lengths: Sequence[int], max_tokens: int, max_items: int = 64) -> list[list[int]]:
    """Group item indices into batches of similar length.

    Items are sorted by length (longest first, so the first batch shows the
    worst memory use at once); a batch is closed when adding the next item
    would make ``longest × count`` exceed ``max_tokens`` (the padded size) or
    the batch holds ``max_items``.  An item longer than the budget gets a
    batch of its own.  Every index appears exactly once.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        size = max(1, lengths[i])
        if current and _overflows(max(longest, size), len(current), max_tokens, max_items):
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, size)
    if current:
        batches.append(current)
    return batches


def is_full(lengths: Sequence[int], max_tokens: int, max_items: int = 64) -> bool:
    """Whether a batch of items of these lengths, one of them at least, takes
    no further item as long as its longest (``make_batches``'s budget)."""
    return _overflows(max(max(1, n) for n in lengths), len(lengths), max_tokens, max_items)


def _overflows(longest: int, count: int, max_tokens: int, max_items: int) -> bool:
    """Whether one more item, ``count`` being there, passes the budget of
    ``longest × count`` padded tokens or ``max_items`` items."""
    return longest * (count + 1) > max_tokens or count >= max_items
