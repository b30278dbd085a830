"""Sentence segmentation of Arabic (and English) news text.

Every line break ends a paragraph, and a paragraph always ends a segment, so
a headline, caption, byline or date line without final punctuation is a
segment of its own.  Inside a line the rules are data, ``SEGMENTATION_RULES``:
SRX 2.0 break and no-break rules, each a regex for the text before a position
and one for the text after it.  At each position the first rule whose two
patterns match decides, as in SRX and in OmegaT; a position no rule matches is
no break.  ``mt.text.srx`` writes the same rules as an SRX file for CAT tools
(OmegaT, Trados, memoQ), so they segment an article as ``mt`` does.  In order:

* a sentence never ends before a lower-case Latin word (``"Who?" he asked``,
  ``approx. three``) or before an Arabic word attributing the quotation just
  closed (``«…؟» تساءلت``, ``"…." حسبما أفاد``);
* it ends after ``! ? ؟ …`` and runs of terminators (``?!``, ``...``),
  followed by any closing quotes or brackets, then whitespace;
* after a single full stop it does not end after a title or common
  abbreviation (``د.``, ``Mr.``, ``Dr.``) or a single initial (``J.``,
  ``م.``); after ``Inc.``-like abbreviations only before a capital; after a
  month (``Sept.``) or dotted initials (``U.S.``) only before a typical
  sentence opener (``The``, ``He``); elsewhere it ends.

Numbers such as 3.5, 2016/04/15 or إس-300, URLs and e-mail addresses never
split, since no whitespace follows their dots.  Segments carry offsets into
the original text.

The regexes keep to what Java (OmegaT), .NET (Trados, memoQ) and Python's
``regex`` module read alike: whitespace, terminators and quotes as explicit
``\\uXXXX`` classes (Java's ``\\s`` is ASCII only), case as ``[mM][rR]``
rather than ``(?i)``, letters as ``\\p{L}`` and ``\\p{Lu}``, lookbehind one
character wide.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex

from ..types import Segment

_LINE_BREAKS = "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"  # and CR LF as one
_TERMINATOR = ".!?\u061f\u2026\u06d4\u203c\u2047\u2048\u2049"
_CLOSERS = "\"'\u00bb\u201d\u2019\u203a)]}\u300d\u300f"
_OPENERS = "\"'\u00ab\u201c\u2018\u2039([{"
_WORD_END = "\u060c,"  # stripped, with terminators and closers, from an attribution word

# Titles and abbreviations after which a full stop never ends a sentence.
TITLES = frozenset(
    [
        "mr", "mrs", "ms", "messrs", "dr", "drs", "prof", "gen", "gens", "col", "lt", "sgt", "capt", "cpl", "maj",
        "adm", "gov", "govs", "sen", "sens", "rep", "reps", "rev", "hon", "st", "mt", "ft", "no", "nos", "v",
        "vs", "fig", "figs", "vol", "pp", "art", "ch", "sec", "dept", "approx", "ave", "blvd",
    ]
)
# Arabic abbreviations written with a full stop (titles, units, calendar marks).
ARABIC_ABBREVIATIONS = frozenset(["د", "م", "أ", "ا", "ص", "ج", "ق", "هـ", "ه", "ت", "س", "ط", "ك", "كم", "سم", "مم", "كغ", "كجم"])
# Abbreviations that may end a sentence: split when a capitalised word follows.
ENDING_ABBREVIATIONS = frozenset(["etc", "inc", "ltd", "co", "corp", "jr", "sr", "bros", "plc", "llc"])
# Month abbreviations: "Jan. 5" goes on, "on Sept. He was" ends.
MONTHS = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"])
# Arabic words that attribute a quotation just closed, so the sentence goes
# on: «…؟» تساءلت / "…!" قال, and "…." حسبما أفاد after any closing quote.
ATTRIBUTION_AFTER_QUESTION = frozenset(["قال", "قالت", "تساءل", "تساءلت", "أضاف", "أضافت", "صاح", "صاحت"])
ATTRIBUTION_AFTER_QUOTE = frozenset(["حسبما"])
# Words that typically open an English sentence: after dotted initials
# (U.S., U.K.) a sentence ends only when one of these follows.
SENTENCE_OPENERS = frozenset(
    [
        "the", "a", "an", "in", "it", "he", "she", "they", "we", "i", "you", "but", "and", "this", "that",
        "these", "those", "there", "his", "her", "their", "its", "our", "on", "at", "for", "as", "after", "when",
        "while", "if", "however", "meanwhile", "some", "many", "most", "one", "two",
    ]
)


@dataclass(frozen=True)
class SegmentationRule:
    """One SRX rule: where ``before`` matches the text ending at a position and
    ``after`` the text starting there, break there (``breaks``) or do not."""

    breaks: bool
    before: str
    after: str
    note: str


def _escape(char: str) -> str:
    if char.isascii() and char.isalnum():
        return char
    if char.isascii() and char.isprintable() and char != " ":
        return "\\" + char
    return f"\\u{ord(char):04x}"


def _char_class(chars: Iterable[str], negate: bool = False) -> str:
    """A regex class of ``chars``, runs of code points written as ranges."""
    points = sorted({ord(c) for c in chars})
    parts, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        if j - i < 2:
            parts += [_escape(chr(point)) for point in points[i : j + 1]]
        else:  # a range, its ends as \uXXXX so that no escaped punctuation ends one
            parts.append(f"\\u{points[i]:04x}-\\u{points[j]:04x}")
        i = j + 1
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


def _spell(word: str) -> str:
    """``word`` as a regex: a Latin letter matches either case (``[mM][rR]``), other letters themselves."""
    return "".join(f"[{c}{c.upper()}]" if c.isascii() and c.isalpha() else _escape(c) if c.isascii() else c for c in word)


def _words(words: Iterable[str]) -> str:
    """An alternation of ``words``, longest first."""
    return "(?:" + "|".join(_spell(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


_LINE_BREAK_PATTERN = "\\u000d\\u000a|" + _char_class(_LINE_BREAKS)
_LINE_BREAK = re.compile(_LINE_BREAK_PATTERN)
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())  # what str.strip() strips
_WS = _char_class(_SPACES)
_NOT_WS = _char_class(_SPACES, negate=True)
_T = _char_class(_TERMINATOR)
_C = _char_class(_CLOSERS)
_O = _char_class(_OPENERS)
_RUN = f"{_T}+{_C}*"  # a terminator run with any closing quotes or brackets
_QUOTED_RUN = f"{_T}+{_C}+"
_NOT_DOT = f"(?:{_T}{{2,}}|{_char_class(set(_TERMINATOR) - {'.'})})"  # any run but a single full stop
_TOKEN = f"(?<!{_NOT_WS}){_O}*"  # the start of a whitespace-delimited token, past its opening quotes
_FULL_STOP = f"\\.{_C}*"
_NEXT = f"{_WS}+{_O}*"  # the whitespace and opening quotes before the next word
_TOKEN_END = f"(?!{_NOT_WS})"
_ATTRIBUTION_TAIL = f"{_char_class(_TERMINATOR + _CLOSERS + _WORD_END)}*{_TOKEN_END}"
_LETTER_OR_NUMERAL = "[\\p{L}\\p{Nl}\\p{No}]"  # U, S, ق, and numerals such as Ⅳ or ②, as in U.S. or ق.م.
_MONTH_OR_DOTTED = f"(?:{_words(MONTHS)}|(?:{_LETTER_OR_NUMERAL}{{1,2}}\\.)+{_LETTER_OR_NUMERAL}{{1,2}})"

SEGMENTATION_RULES: tuple[SegmentationRule, ...] = (
    SegmentationRule(
        True,
        _LINE_BREAK_PATTERN,
        "",
        "a line break ends a segment (for a CAT tool whose text filter joins lines into paragraphs)",
    ),
    SegmentationRule(False, _RUN, f"{_NEXT}[a-z]", "English goes on in lower case: \"Who?\" he asked / approx. three"),
    SegmentationRule(
        False, _QUOTED_RUN, _NEXT + _words(ATTRIBUTION_AFTER_QUOTE) + _ATTRIBUTION_TAIL, "a closed quotation, then حسبما"
    ),
    SegmentationRule(
        False,
        _NOT_DOT + f"{_C}+",
        _NEXT + _words(ATTRIBUTION_AFTER_QUESTION) + _ATTRIBUTION_TAIL,
        "a quoted question or exclamation, then قال / تساءلت",
    ),
    SegmentationRule(True, _NOT_DOT + f"{_C}*", _WS, "! ? ؟ … and runs such as ?! or ..."),
    SegmentationRule(
        False, _TOKEN + _words(TITLES | ARABIC_ABBREVIATIONS) + _FULL_STOP, _WS, "a title or abbreviation: Mr. / د."
    ),
    SegmentationRule(False, f"{_TOKEN}(?![a-z])\\p{{L}}{_FULL_STOP}", _WS, "an initial: J. K. Rowling, م."),
    SegmentationRule(
        True, _TOKEN + _words(ENDING_ABBREVIATIONS) + _FULL_STOP, f"{_NEXT}\\p{{Lu}}", "Inc. / etc. before a capital"
    ),
    SegmentationRule(False, _TOKEN + _words(ENDING_ABBREVIATIONS) + _FULL_STOP, _WS, "Inc. / etc. otherwise"),
    SegmentationRule(
        True,
        _TOKEN + _MONTH_OR_DOTTED + _FULL_STOP,
        f"{_WS}+{_char_class(_CLOSERS + _OPENERS)}*{_words(SENTENCE_OPENERS)}"
        f"{_char_class(_CLOSERS + _OPENERS)}*{_TOKEN_END}",
        "Sept. / U.S. / a.m. before a typical sentence opener",
    ),
    SegmentationRule(False, _TOKEN + _MONTH_OR_DOTTED + _FULL_STOP, _WS, "Sept. / U.S. / a.m. otherwise: Jan. 5"),
    SegmentationRule(True, _RUN, _WS, "any other full stop"),
)


_Pattern = re.Pattern | regex.Pattern


def _compile(pattern: str) -> _Pattern:
    """The ``regex`` module for ``\\p{…}`` classes, which ``re`` lacks; ``re``
    for the rest, since ``regex`` looks ahead for a word such as حسبما all
    along the line at each position it tries."""
    return regex.compile(pattern) if "\\p{" in pattern else re.compile(pattern)


@functools.cache
def _compiled(rules: tuple[SegmentationRule, ...]) -> tuple[tuple[bool, _Pattern, _Pattern], ...]:
    return tuple((rule.breaks, _compile(rule.before), _compile(rule.after)) for rule in rules)


def find_breaks(line: str, rules: tuple[SegmentationRule, ...] = SEGMENTATION_RULES) -> list[int]:
    """Offsets in ``line`` where ``rules`` break it: at each end of a match of a
    rule's ``before`` where its ``after`` matches, the first such rule decides."""
    decided: dict[int, bool] = {}
    for breaks, before, after in _compiled(rules):
        for match in before.finditer(line):
            end = match.end()
            if end not in decided and after.match(line, end):
                decided[end] = breaks
    return sorted(pos for pos, breaks in decided.items() if breaks)


def split_lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each line of ``text`` (line breaks excluded)."""
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        yield pos, match.start()
        pos = match.end()
    yield pos, len(text)


def _split_line(line: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for end in find_breaks(line):
        yield pos, end
        pos = end
    yield pos, len(line)


def split_sentences(text: str, doc: str = "") -> list[Segment]:
    """Split ``text`` into segments with offsets into ``text`` (see module doc)."""
    segments: list[Segment] = []
    paragraph = 0
    for line_start, line_end in split_lines(text):
        line = text[line_start:line_end]
        if not line.strip():
            continue
        for start, end in _split_line(line):
            piece = line[start:end]
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            abs_start = line_start + start + lead
            segments.append(
                Segment(
                    doc=doc,
                    index=len(segments),
                    text=stripped,
                    start=abs_start,
                    end=abs_start + len(stripped),
                    paragraph=paragraph,
                )
            )
        paragraph += 1
    return segments
