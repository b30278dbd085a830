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
        if current and (max(longest, size) * (len(current) + 1) > max_tokens or len(current) >= max_items):
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, size)
    if current:
        batches.append(current)
    return batches
