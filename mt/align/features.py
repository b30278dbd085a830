"""Features that cross from Arabic to English without machine translation.

Each sentence becomes a bag of *bridge features*, strings that can occur on
both sides of a translation:

* ``w:<stem>`` an English word stem: on the English side the words of the
  sentence, on the Arabic side the glosses of its words in a bilingual word
  list (``Lexicon``), the English form of glossary entities found in it, and
  Latin-script tokens written inside the Arabic (``MWPs``, ``twp``);
* ``n:<number>`` a number, with Arabic-Indic digits folded to ASCII by
  :func:`mt.text.normalize_text` and thousands separators removed, so
  ``١٬٠٠٠``, ``1,000`` and ``1000`` meet;
* ``q`` / ``p`` one per quotation mark / parenthesis pair.

English words and dictionary glosses are *tentative* (written ``~w:…``):
``FeatureBags.build`` keeps them only when the stem occurs on both sides of
the document, since anything else is noise (the words the dictionary does
not cover, the senses the translator did not use).  Numbers, punctuation,
Latin-script tokens and glossary entities always count.  Features are
weighed by inverse sentence frequency and returned as sparse rows (sentence,
feature, weight), ready for the banded dot products in :mod:`mt.align`.
Everything here is one pass over the sentences; nothing is quadratic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import FormatError
from ..text import normalize_text, read_text

# ---------------------------------------------------------------- English side

STEM_LENGTH = 5
"""English words are compared on their first five letters (``parliament`` ~
``parliamentary``): crude, but it needs no language resources and it is what
makes glosses (``Worried``) meet inflected text (``worries``)."""

EN_STOPWORDS = frozenset(
    """a an the and or but nor of to in on at by for from with without into onto over under about
    above below after before between through during since until than then as if so that this these
    those there here where when while who whom whose which what why how is are was were be been
    being am do does did done have has had having will would shall should can could may might must
    it its it's he him his she her hers they them their theirs we us our ours you your yours i me
    my mine not no yes also just only very too more most much many some any all each every other
    such own same both either neither one said says say mr mrs ms dr st""".split()
)

_EN_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_QUOTES = re.compile("[\"\u00ab\u00bb\u201c\u201d\u201e]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")


def english_stem(word: str) -> str | None:
    """The comparison key of an English word, or ``None`` for stopwords and
    words shorter than three letters."""
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 3 or word in EN_STOPWORDS:
        return None
    return word[:STEM_LENGTH]


def english_stems(text: str) -> list[str]:
    """Stems of the content words of an English text, in order."""
    return [s for s in map(english_stem, _EN_WORD.findall(text)) if s]


def number_key(token: str) -> str:
    """Canonical form of a number token: ``1,000`` → ``1000``, ``3,5`` → ``3.5``."""
    token = token.rstrip(".,")
    if _THOUSANDS.match(token):
        return token.replace(",", "")
    return token.replace(",", ".")


def numbers(text: str) -> list[str]:
    """Number keys in ``text`` (digits already ASCII)."""
    return [number_key(t) for t in _NUMBER.findall(text)]


def _punctuation(text: str) -> list[str]:
    return ["q"] * len(_QUOTES.findall(text)) + ["p"] * min(text.count("("), text.count(")"))


def english_features(text: str) -> list[str]:
    """Bridge features of an English sentence."""
    feats = ["~w:" + s for s in english_stems(text)]
    feats += ["n:" + n for n in numbers(text)]
    feats += _punctuation(text)
    return feats


# ------------------------------------------------------------------ Arabic side

_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س")
_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "وا", "ه", "ي", "ك")
MAX_GLOSSES = 4
"""Only a headword's first glosses count: later ones are rarer senses and noise."""


def arabic_candidates(word: str) -> list[str]:
    """Lookup keys of a normalised Arabic word, most specific first: the word,
    then with a proclitic (و ف ب ل ك س, the article) and/or a suffix removed."""
    out = [word]
    stems = [word]
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            stems.append(word[len(prefix):])
    for stem in stems:
        if stem not in out:
            out.append(stem)
    for stem in stems:
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                cut = stem[: -len(suffix)]
                if cut not in out:
                    out.append(cut)
    return out


class Lexicon:
    """A bilingual word list: normalised Arabic word → English stems.

    Read from a tab-separated file of ``arabic<TAB>gloss | gloss …`` lines
    (the FreeDict layout).  Headwords are normalised with
    :func:`mt.text.normalize_text`; single-word headwords are indexed as
    they are and without the article ``ال``.  Multi-word headwords are
    ignored: sentences are looked up word by word.
    """

    def __init__(self, entries: dict[str, tuple[str, ...]] | None = None) -> None:
        self._entries: dict[str, tuple[str, ...]] = dict(entries or {})
        self._cache: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Lexicon:
        """Build from ``(arabic, glosses)`` pairs, glosses separated by ``|``."""
        entries: dict[str, list[str]] = {}
        for arabic, glosses in pairs:
            head = normalize_text(arabic).strip()
            if not head or " " in head:
                continue
            stems: list[str] = []
            for gloss in glosses.split("|")[:MAX_GLOSSES]:
                for stem in english_stems(gloss):
                    if stem not in stems:
                        stems.append(stem)
            if not stems:
                continue
            keys = [head]
            if head.startswith("ال") and len(head) > 3:
                keys.append(head[2:])
            for key in keys:
                known = entries.setdefault(key, [])
                known.extend(s for s in stems if s not in known)
        return cls({k: tuple(v) for k, v in entries.items()})

    @classmethod
    def load(cls, path: Path | str, encoding: str = "utf-8") -> Lexicon:
        """Read a TSV word list (``mt align --dictionary``, decoded with its
        ``--encoding``); a file without any usable line raises ``FormatError``."""
        text = read_text(path, encoding, hint=True)
        pairs = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise FormatError(f"{path}:{number}: expected 'arabic<TAB>english glosses', found no tab")
            pairs.append((parts[0], parts[1]))
        lexicon = cls.from_pairs(pairs)
        if not lexicon:
            raise FormatError(f"{path}: no Arabic → English entries found (expected tab-separated lines)")
        return lexicon

    def lookup(self, word: str) -> tuple[str, ...]:
        """English stems for a normalised Arabic word (after clitic stripping)."""
        hit = self._cache.get(word)
        if hit is None:
            hit = ()
            for key in arabic_candidates(word):
                found = self._entries.get(key)
                if found:
                    hit = found
                    break
            self._cache[word] = hit
        return hit


def arabic_features(
    text: str, lexicon: Lexicon | None = None, glossary=None, *, normalized: str | None = None
) -> list[str]:
    """Bridge features of an Arabic sentence (see the module doc).

    ``glossary`` is any object whose ``match(text)`` returns matches with
    ``.entry.en`` (``mt.glossary.Glossary``); the English form of each match
    counts as words of the sentence.  ``normalized`` is
    ``normalize_text(text)`` when the caller has it already.
    """
    norm = normalize_text(text) if normalized is None else normalized
    feats = ["n:" + n for n in numbers(norm)]
    feats += ["w:" + s for s in english_stems(norm)]  # Latin-script tokens
    if lexicon is not None:
        for word in _ARABIC_WORD.findall(norm):
            feats += ["~w:" + s for s in lexicon.lookup(word)]
    if glossary is not None:
        for match in glossary.match(text):
            feats += ["w:" + s for s in english_stems(match.entry.en)]
    feats += _punctuation(text)
    return feats


# ------------------------------------------------------------------- the bags


TENTATIVE = "~"

FEATURE_BOOST = {"n": 2.0, "q": 0.5, "p": 1.0}
"""Weight multipliers by feature kind (prefix before ``:``); words get 1."""


@dataclass(frozen=True, eq=False)
class FeatureBags:
    """Sparse weighted feature rows of both sides of one document.

    ``src``/``tgt`` are ``(rows, cols, weights)`` arrays sorted by row; the
    columns index ``vocabulary``.
    """

    vocabulary: tuple[str, ...]
    src: tuple[np.ndarray, np.ndarray, np.ndarray]
    tgt: tuple[np.ndarray, np.ndarray, np.ndarray]

    @classmethod
    def build(
        cls,
        src_features: Sequence[Sequence[str]],
        tgt_features: Sequence[Sequence[str]],
    ) -> FeatureBags:
        """Bags of both sides.  A feature written ``~f`` is *tentative*: it
        counts only when ``f`` occurs on both sides of the document (English
        words, dictionary glosses).  Other features (numbers, punctuation,
        Latin-script tokens and glossary entities inside the Arabic) always
        count, so a number present on one side only is evidence against a
        pairing."""
        df_src: dict[str, int] = {}
        df_tgt: dict[str, int] = {}
        firm: set[str] = set()
        for feats, df in ((src_features, df_src), (tgt_features, df_tgt)):
            for sentence in feats:
                for f in set(sentence):
                    if f[0] == TENTATIVE:
                        f = f[1:]
                    else:
                        firm.add(f)
                    df[f] = df.get(f, 0) + 1
        kept = sorted(f for f in set(df_src) | set(df_tgt) if f in firm or (f in df_src and f in df_tgt))
        index = {f: k for k, f in enumerate(kept)}
        for f in list(index):
            index[TENTATIVE + f] = index[f]
        n_sent = max(1, (len(src_features) + len(tgt_features)) / 2)
        weight = np.array(
            [
                math.log(1.0 + n_sent / ((df_src.get(f, 0) + df_tgt.get(f, 0)) / 2))
                * FEATURE_BOOST.get(f.split(":", 1)[0], 1.0)
                for f in kept
            ],
            dtype=np.float64,
        )

        def rows(features: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """(sentence, feature, count × weight) for each distinct feature of each
            sentence (tf·idf with raw counts), sorted by sentence then feature."""
            r: list[int] = []
            c: list[int] = []
            n: list[int] = []
            for i, sentence in enumerate(features):
                counts = Counter(k for k in map(index.get, sentence) if k is not None)
                for k in sorted(counts):
                    r.append(i)
                    c.append(k)
                    n.append(counts[k])
            cols = np.asarray(c, dtype=np.int64)
            return np.asarray(r, dtype=np.int64), cols, np.asarray(n, dtype=np.float64) * weight[cols]

        return cls(vocabulary=tuple(kept), src=rows(src_features), tgt=rows(tgt_features))


Translate = Callable[[list[str]], list[str]]
"""Machine translation hook: Arabic sentences in, English sentences out."""
