"""Checking a glossary file: every problem with its line, near-duplicate
English spellings, and warnings of entries whose Arabic is a common word.

It sits above ``entries`` (parsing, the problems an entry has by itself and
with the others) and ``common`` (the common-word list), which both know
nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .common import find_homographs
from .entries import (
    NEAR_DUPLICATE,
    NEAR_DUPLICATE_RATIO,
    Entry,
    Problem,
    find_problems,
    parse_glossary,
    read_glossary_file,
)


@dataclass(frozen=True)
class CheckReport:
    """The result of checking a glossary file."""

    path: Path
    entries: int
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()  # entries that are fine but need care (common-word Arabic)

    @property
    def ok(self) -> bool:
        """No problems (warnings do not count)."""
        return not self.problems

    def lines(self) -> list[str]:
        found = [f"{p.format(self.path)} [{p.kind}]" for p in self.problems]
        return found + [f"{self.path}:{w.line}: warning: {w.message} [{w.kind}]" for w in self.warnings]

    def summary(self) -> str:
        count = len(self.problems)
        return f"{self.path}: {self.entries} entries, {count} problem{'' if count == 1 else 's'}"


def find_near_duplicates(entries: Iterable[Entry]) -> list[Problem]:
    """Entries of one type whose English forms differ but are nearly the
    same, word for word ("Wladimir Putin" beside "Vladimir Putin"): two
    spellings of one entity, most likely.  Each later entry is reported against the first."""
    from difflib import SequenceMatcher

    problems = []
    by_type: dict[str, list[Entry]] = {}
    for entry in entries:
        folded = entry.en.casefold()
        for other in by_type.setdefault(entry.type, []):
            other_folded = other.en.casefold()
            if folded == other_folded or len(folded.split()) != len(other_folded.split()):
                continue  # a longer name ("Supreme National Security Council") is another entity
            matcher = SequenceMatcher(None, folded, other_folded, autojunk=False)
            if matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO and matcher.ratio() >= NEAR_DUPLICATE_RATIO:
                message = f"English {entry.en!r} is nearly {other.en!r} (line {other.line}): one spelling for one entity?"
                problems.append(Problem(entry.line, NEAR_DUPLICATE, message, entry, other))
                break
        by_type[entry.type].append(entry)
    return problems


def check_glossary(path: Path | str, common=None) -> CheckReport:
    """Check a glossary file; every problem comes with its line number.

    ``common`` (a :class:`~.common.CommonWords`, default the built-in list) says which Arabic
    words are also common words: entries that are one of them are reported too."""
    path = Path(path)
    entries, problems = parse_glossary(read_glossary_file(path)[1])
    problems.extend(find_problems(entries))
    problems.extend(find_near_duplicates(entries))
    problems.sort(key=lambda p: p.line)
    warnings = tuple(find_homographs(entries, common))
    return CheckReport(path=path, entries=len(entries), problems=tuple(problems), warnings=warnings)
