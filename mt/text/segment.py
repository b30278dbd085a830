"""Sentence segmentation of Arabic (and English) news text.

Rules, in order:

* every line break ends a paragraph, and a paragraph always ends a segment,
  so a headline, caption, byline or date line without final punctuation is
  a segment of its own;
* inside a line, a sentence ends after ``. ! ? ؟ …`` (and runs of them),
  followed by any closing quotes or brackets, then whitespace;
* it does not end inside a URL or e-mail address, after a title or common
  abbreviation (``د.``, ``Mr.``, ``Dr.``), after a single initial (``J.``,
  ``م.``), after dotted initials (``U.S.``) unless a typical sentence opener
  follows, or before a lower-case Latin word (``approx. three``).

Numbers such as 3.5, 2016/04/15 or إس-300 never split, since no whitespace
follows their dots.  Segments carry offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..types import Segment

_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
_TERMINATOR = ".!?\u061f\u2026\u06d4\u203c\u2047\u2048\u2049"
_CLOSERS = "\"'\u00bb\u201d\u2019\u203a)]}\u300d\u300f"
_CANDIDATE = re.compile(rf"[{re.escape(_TERMINATOR)}]+[{re.escape(_CLOSERS)}]*(?=\s|$)")
_URL_OR_EMAIL = re.compile(
    r"(?:https?://|www\.)[^\s«»“”\"'<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
_TRAILING_URL_PUNCT = re.compile(rf"[{re.escape(_TERMINATOR + _CLOSERS)},;:]+$")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_TOKEN_WINDOW = 40
_OPENERS = "\"'\u00ab\u201c\u2018\u2039([{"
_DOTTED = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}$")  # U.S, a.m, ق.م
_NEXT_WORD = re.compile(r"\s*[" + re.escape(_OPENERS) + r"]*(\S*)")

# Titles and abbreviations after which a full stop never ends a sentence.
TITLES = frozenset(
    """mr mrs ms messrs dr drs prof gen gens col lt sgt capt cpl maj adm gov govs sen sens rep
    reps rev hon st mt ft no nos v vs fig figs vol pp art ch sec dept approx ave blvd""".split()
)
# Arabic abbreviations written with a full stop (titles, units, calendar marks).
ARABIC_ABBREVIATIONS = frozenset(["د", "م", "أ", "ا", "ص", "ج", "ق", "هـ", "ه", "ت", "س", "ط", "ك", "كم", "سم", "مم", "كغ", "كجم"])
# Abbreviations that may end a sentence: split when a capitalised word follows.
ENDING_ABBREVIATIONS = frozenset("etc inc ltd co corp jr sr bros plc llc".split())
# Month abbreviations: "Jan. 5" goes on, "on Sept. He was" ends.
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Arabic words that attribute a quotation just closed, so the sentence goes
# on: «…؟» تساءلت / "…!" قال, and "…." حسبما أفاد after any closing quote.
ATTRIBUTION_AFTER_QUESTION = frozenset("قال قالت تساءل تساءلت أضاف أضافت صاح صاحت".split())
ATTRIBUTION_AFTER_QUOTE = frozenset(["حسبما"])
# Words that typically open an English sentence: after dotted initials
# (U.S., U.K.) a sentence ends only when one of these follows.
SENTENCE_OPENERS = frozenset(
    """the a an in it he she they we i you but and this that these those there his her their
    its our on at for as after when while if however meanwhile some many most one two its""".split()
)


def split_lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each line of ``text`` (line breaks excluded)."""
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        yield pos, match.start()
        pos = match.end()
    yield pos, len(text)


def _protected_spans(line: str) -> list[tuple[int, int]]:
    spans = []
    for match in _URL_OR_EMAIL.finditer(line):
        token = match.group(0)
        trail = _TRAILING_URL_PUNCT.search(token)
        end = match.end() - (len(trail.group(0)) if trail else 0)
        spans.append((match.start(), end))
    return spans


def _is_boundary(line: str, start: int, end: int, protected: list[tuple[int, int]]) -> bool:
    """Decide whether the terminator run ``line[start:end]`` ends a sentence."""
    if any(a <= start < b for a, b in protected):
        return False
    run = line[start:end].rstrip(_CLOSERS)
    next_word = _NEXT_WORD.match(line, end).group(1)
    starts_lower = bool(next_word) and next_word[0].isascii() and next_word[0].islower()
    if starts_lower:
        return False  # English goes on in lower case: "Who?" he asked / approx. three
    if line[end - 1] in _CLOSERS:
        word = next_word.rstrip(_TERMINATOR + _CLOSERS + "،,")
        if word in ATTRIBUTION_AFTER_QUOTE or (run != "." and word in ATTRIBUTION_AFTER_QUESTION):
            return False
    if run != ".":
        return True  # ! ? ؟ … and runs such as ?! or ...
    # Only the last few characters matter (abbreviations are short); a
    # bounded window keeps a megabyte-long line linear.
    token_match = _TOKEN_BEFORE.search(line, max(0, start - _TOKEN_WINDOW), start)
    if token_match is None:
        return True
    token = token_match.group(1).lstrip(_OPENERS)
    bare = token.lower()
    if bare in TITLES or token in ARABIC_ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha() and (token.isupper() or not token.isascii()):
        return False  # an initial: J. K. Rowling, م.
    if bare in ENDING_ABBREVIATIONS:
        return bool(next_word) and next_word[0].isupper()
    if bare in MONTHS or _DOTTED.match(token):
        # Sept. / U.S. / a.m. / ق.م. : a sentence ends only before a typical opener.
        return next_word.lower().strip(_CLOSERS + _OPENERS) in SENTENCE_OPENERS
    return True


def _split_line(line: str) -> Iterator[tuple[int, int]]:
    protected = _protected_spans(line)
    pos = 0
    for match in _CANDIDATE.finditer(line):
        if _is_boundary(line, match.start(), match.end(), protected):
            yield pos, match.end()
            pos = match.end()
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
