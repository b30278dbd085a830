"""Arabic normalisation for matching, never for display.

``normalize_arabic`` folds the spelling variation that news text carries so
that names can be matched: alef forms to bare alef, alef maqsura to yeh, teh
marbuta to heh, Persian and Urdu letters to their Arabic counterparts,
Arabic-Indic and Persian digits to ASCII, with harakat, tatweel, zero-width
and bidi marks removed, on top of NFKC.  It returns a ``Normalized`` that
keeps, for every normalised character, the span of the original text it came
from, so anything found on the normalised text is reported on the original.

NFKC is applied to each base character together with the combining marks
that follow it, which is where canonical composition happens in practice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Character map applied after NFKC.  Kept as data: one entry a code point.
_LETTERS = {
    # alef forms → bare alef
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",
    "\u0672": "\u0627", "\u0673": "\u0627",
    # alef maqsura → yeh, teh marbuta → heh
    "\u0649": "\u064a", "\u0629": "\u0647",
    # Persian and Urdu letters
    "\u06a9": "\u0643",  # keheh ک → kaf
    "\u06aa": "\u0643",  # swash kaf
    "\u06af": "\u0643",  # gaf گ → kaf
    "\u06cc": "\u064a",  # Farsi yeh ی → yeh
    "\u06d0": "\u064a", "\u06d2": "\u064a", "\u06d3": "\u064a",
    "\u06c0": "\u0647",  # heh with yeh above ۀ → heh
    "\u06c1": "\u0647", "\u06c3": "\u0647", "\u06d5": "\u0647", "\u06be": "\u0647",
    "\u067e": "\u0628",  # peh پ → beh
    "\u0686": "\u062c",  # tcheh چ → jeem
    "\u0698": "\u0632",  # jeh ژ → zain
    "\u06a4": "\u0641",  # veh ڤ → feh
    "\u06a8": "\u0642",  # qaf with three dots ڨ → qaf
    "\u0679": "\u062a", "\u0688": "\u062f", "\u0691": "\u0631", "\u06ba": "\u0646",
    # separators and percent sign
    "\u066b": ".", "\u066c": ",", "\u066a": "%",
}
_DIGITS = {chr(0x0660 + d): str(d) for d in range(10)} | {chr(0x06F0 + d): str(d) for d in range(10)}
_REMOVED_RANGES = (
    (0x0610, 0x061A),  # Quranic honorifics and small letters
    (0x064B, 0x065F),  # harakat, shadda, sukun, maddah and hamza marks
    (0x0670, 0x0670),  # superscript alef
    (0x06D6, 0x06DC), (0x06DF, 0x06E8), (0x06EA, 0x06ED),  # Quranic annotation marks
    (0x0640, 0x0640),  # tatweel
    (0x200B, 0x200F),  # zero-width space, ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x2064),  # word joiner and invisible operators
    (0x2066, 0x2069),  # bidi isolates
    (0x061C, 0x061C),  # Arabic letter mark
    (0xFEFF, 0xFEFF),  # zero-width no-break space / BOM
    (0x00AD, 0x00AD),  # soft hyphen
)
_REMOVED = {chr(c): "" for lo, hi in _REMOVED_RANGES for c in range(lo, hi + 1)}
_TABLE = str.maketrans(_LETTERS | _DIGITS | _REMOVED)

_cache: dict[str, str] = {}

# A letter of the Arabic script (Arabic, Supplement, Extended-A, presentation
# forms); digits, punctuation and marks are not letters.
ARABIC_LETTER = re.compile(
    "[\u0620-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]"
)


_DIGIT_TABLE = str.maketrans(_DIGITS)


def folding_map() -> dict[str, str]:
    """What ``normalize_arabic`` does to single characters after NFKC (alef
    forms, yeh, teh marbuta, Persian letters, digits, harakat and invisible
    marks removed), for code that cannot call it: the review page's search."""
    return dict(_LETTERS | _DIGITS | _REMOVED)


def fold_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits, nothing else changed."""
    return text.translate(_DIGIT_TABLE)


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds a letter of the Arabic script."""
    return ARABIC_LETTER.search(text) is not None


def _normalize_cluster(cluster: str) -> str:
    """Normalise one base character with its combining marks."""
    return unicodedata.normalize("NFKC", cluster).translate(_TABLE)


def _normalize_char(ch: str) -> str:
    rep = _cache.get(ch)
    if rep is None:
        rep = ch if ch.isascii() else _normalize_cluster(ch)
        _cache[ch] = rep
    return rep


def _is_mark(ch: str, _combining=unicodedata.combining) -> bool:
    return not ch.isascii() and _combining(ch) != 0


@dataclass(frozen=True, eq=False)
class Normalized:
    """Normalised text with a map back to the original.

    ``starts[i]``/``ends[i]`` are the original span that produced normalised
    character ``i``; both sequences are non-decreasing.  Characters dropped by
    normalisation (marks, tatweel, invisible characters) belong to the span of
    the character before them.
    """

    original: str
    text: str
    starts: list[int]
    ends: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to a span of the original text."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside normalised text of length {len(self.text)}")
        if start == end:
            pos = self.starts[start] if start < len(self.text) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalize_arabic(text: str) -> Normalized:
    """Normalise ``text`` for matching and keep the offset map (see module doc)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cluster_start = 0  # original index of the current base character
    cluster_out = 0  # output index where its normalised form begins
    for i, ch in enumerate(text):
        if ch < "\x80":
            rep, mark = ch, False
        else:
            rep, mark = _normalize_char(ch), _is_mark(ch)
        if mark and cluster_out < len(out):
            if rep:
                # A mark that survives normalisation may compose with its
                # base character: normalise the whole cluster again.
                del out[cluster_out:], starts[cluster_out:], ends[cluster_out:]
                for piece in _normalize_cluster(text[cluster_start : i + 1]):
                    out.append(piece)
                    starts.append(cluster_start)
                    ends.append(i + 1)
            else:
                ends[-1] = i + 1
            continue
        cluster_start, cluster_out = i, len(out)
        if not rep:
            if ends:
                ends[-1] = i + 1
            continue
        for piece in rep:
            out.append(piece)
            starts.append(i)
            ends.append(i + 1)
    return Normalized(original=text, text="".join(out), starts=starts, ends=ends)


def normalize_text(text: str) -> str:
    """The normalised string alone, for keys and comparisons."""
    return normalize_arabic(text).text
