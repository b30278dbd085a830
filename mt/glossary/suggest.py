"""``mt glossary suggest``: named-entity candidates that the glossary lacks, with a proposed English.

Takes Arabic articles, or the JSON of ``mt translate`` / ``mt align`` (optionally an English
translation of each article, aligned here as ``mt align`` aligns), and gives ``Candidate``s:

* the Arabic form: runs of words outside glossary matches, stop words, titles and heads; a
  proclitic (و ف ب ل ك) is stripped only when the stripped form is attested, in the glossary
  or as a word of its own in the documents (بري, ليبيا, فلسطين keep their first letter);
* a type from the cues of :mod:`.cues` (a title before a person, the head of an organisation's
  or a place's name, a given name), else MISC; the evidence: cues, a nisba beside the name,
  how often the form recurs, in how many documents; one example context;
* proposed English spellings by source: ``aligned`` (a capitalised span of the aligned human
  English, paired by transliteration similarity), ``mt`` (the English words whose attention
  peaks on the name, from the translate JSON's ``links``), ``romanizer`` (the optional
  ``arabic-name-romanizer`` package) and ``rule`` (a rough romanisation, the last resort);
* a confidence from the evidence, by which the candidates are ranked.

Never a form the glossary matches, a stop word, or a common word without a cue.  The
candidates are written in the glossary import format (``ar,en,type,variants,note``, the
evidence in ``note``), so ``mt glossary import`` takes the file once a person has checked it.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..text import has_arabic, normalize_arabic
from .common import CommonWords
from .cues import BREAKS, GIVEN_NAMES, LOC, MISC, NAME_HEADS, ORG, PER, cue_type, is_nisba
from .entries import Entry, form_key
from .translit import romanize, similarity

log = logging.getLogger(__name__)

SOURCES = ("aligned", "mt", "romanizer", "rule")  # proposal sources, in the order one is chosen
MAX_RUN = 4  # words in one candidate
MIN_ALIGNED_SIMILARITY = 0.75  # transliteration similarity of an aligned English span
MIN_MT_SIMILARITY = 0.5  # below this the model's words are not a spelling of the name
CONTEXT_CHARS = 60  # each side of the example

_WORD = re.compile(r"(?:[^\W\d_]|[\u064b-\u065f\u0670\u0640])+")
_CONJ, _PREP = ("\u0648", "\u0641"), ("\u0628", "\u0644", "\u0643")
_CLITICS = sorted({c + p for c in ("", *_CONJ) for p in ("", *_PREP)} - {""}, key=len, reverse=True)
_ARTICLE = "\u0627\u0644"
_LAM = "\u0644"
_ADJECTIVE_END = re.compile("\u064a\u0629[\u064b-\u065f]*$")  # ية as written: an indefinite nisba (أميركية), not نبيه
_TEH_MARBUTA_END = re.compile("\u0629[\u064b-\u065f]*$")
_EN_WORD = r"(?:(?:al|el|bin|ibn|abu|bani|de|van|von)[- ])?[A-Z][\w'\u2019.-]*"
_EN_NAME = re.compile(rf"{_EN_WORD}(?: {_EN_WORD})*")


@dataclass(frozen=True)
class Source:
    """One Arabic segment of a document, with its English where there is one.

    ``start`` is the segment's offset in the article (the frame of ``links``); ``english_kind``
    says what the English is: ``aligned`` (a human translation) or ``mt`` (the model's);
    ``links`` are ``(en_start, en_end, ar_start, ar_end)``: per English word, the Arabic
    word it attends to most."""

    doc: str
    text: str
    start: int = 0
    english: str = ""
    english_kind: str = ""
    links: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class Proposal:
    en: str
    source: str  # one of SOURCES
    score: float  # votes (aligned, mt) or the source's own score


@dataclass(frozen=True)
class Candidate:
    """An Arabic name the glossary lacks, its evidence and the proposed English."""

    ar: str
    type: str
    count: int
    docs: tuple[str, ...]
    cues: tuple[tuple[str, int], ...]
    context: str
    proposals: tuple[Proposal, ...]
    confidence: float
    common: str = ""  # the word's meaning when it is also a common word
    example_english: str = ""  # the English of the example's segment, where there is one

    @property
    def en(self) -> str:
        return self.proposals[0].en

    @property
    def en_source(self) -> str:
        return self.proposals[0].source

    def by_source(self, source: str) -> str | None:
        """The best proposal of ``source``, or None."""
        return next((p.en for p in self.proposals if p.source == source), None)

    def note(self) -> str:
        others = "; ".join(f"{p.source}: {p.en}" for p in self.proposals[1:])
        docs = ", ".join(self.docs[:3]) + (f" +{len(self.docs) - 3}" if len(self.docs) > 3 else "")
        mentions = f"{self.count} mention{'' if self.count == 1 else 's'} in {len(self.docs)} doc{'' if len(self.docs) == 1 else 's'} ({docs})"
        cues = ", ".join(f"{c} x{n}" if n > 1 else c for c, n in self.cues) or "recurring"
        parts = [f"suggested, confidence {self.confidence:.2f}", f"en from {self.en_source}" + (f" (also {others})" if others else ""),
                 mentions, f"cues: {cues}"]
        if self.common:
            parts.append(f"also a common word ({self.common})")
        parts.append(f"e.g. «{self.context}»")
        return "; ".join(parts)

    def entry(self) -> Entry:
        return Entry(ar=self.ar, en=self.en, type=self.type, note=self.note())


@dataclass
class _Mention:
    doc: str
    surface: str
    cues: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    context: str = ""
    english: dict[str, tuple[str, float]] = field(default_factory=dict)  # source -> (en, score)
    segment_english: str = ""
    human_english: bool = False  # the segment has an aligned human translation


# ---- reading -------------------------------------------------------------------------


def sources_from_pairs(doc: str, pairs: Iterable, english_kind: str) -> list[Source]:
    """Sources from the pairs of an ``mt translate`` (``mt``) or ``mt align`` (``aligned``) document."""
    out = []
    for pair in pairs:
        if not has_arabic(pair.source):
            continue
        links = tuple((k.en_start, k.en_end, k.ar_start, k.ar_end) for k in getattr(pair, "links", ()) or ())
        out.append(Source(doc, pair.source, pair.source_start or 0, pair.target, english_kind, links))
    return out


# ---- candidates ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    surface: str  # the word as written, proclitic stripped when attested
    key: str  # form_key of surface
    clitic: bool  # a proclitic was stripped


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text) if has_arabic(m.group())]


def _strip(surface: str, key: str, attested: Callable[[str], bool], stop: Callable[[str], bool]) -> tuple[str, str, bool]:
    """``surface`` without its proclitic when the rest is attested (a word of the documents or
    the glossary, a stop word, or ال and a word of three letters or more)."""
    for clitic in _CLITICS:
        if not key.startswith(clitic):
            continue
        rest = key[len(clitic):]
        norm = normalize_arabic(surface)
        cut = norm.starts[len(clitic)] if len(clitic) < len(norm.starts) else len(surface)
        if len(rest) >= 2 and stop(rest):
            return surface[cut:], rest, True
        if len(rest) < 3:
            continue
        if rest.startswith(_ARTICLE) and len(rest) >= 5 or attested(rest):
            return surface[cut:], rest, True
        if clitic.endswith(_LAM) and rest.startswith(_LAM) and len(rest) >= 4 and attested(_ARTICLE[0] + rest):
            return "\u0627" + surface[cut:], _ARTICLE[0] + rest, True  # للشعيرات → الشعيرات
    return surface, key, False


def _context(text: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    snippet = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return " ".join(snippet.split())


def _english_spans(english: str) -> list[str]:
    """Capitalised runs of the English and their sub-runs (``Ali Shamkhani`` → it, ``Ali``, ``Shamkhani``)."""
    spans = []
    for run in _EN_NAME.finditer(english):
        words = run.group().rstrip(".").split(" ")
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + MAX_RUN + 1) + 1):
                span = " ".join(words[i:j])
                span = re.sub(r"['\u2019]s$", "", span)  # Martin's → Martin
                spans.append(span.strip("'\u2019-."))
    return [s for s in spans if s]


_EN_PER_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Rev|Sen|Gen|Col|Sir|President|Minister|Senator|Judge|Prince|King|Queen|coach|captain|manager|"
    r"director|chairman|spokesman|spokeswoman|leader|secretary|striker|midfielder|defender|goalkeeper|actor|singer)\.?\s+$"
)
_EN_PER_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|\d+,)")
_EN_LOC_BEFORE = re.compile(r"\b(?:in|near|to|from|of)\s+$")
_EN_LOC_AFTER = re.compile(r"^,\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\b")  # Tulsa, Oklahoma


def _english_type(english: str, span: str) -> str | None:
    """PER or LOC from the words around ``span`` in the English (Mr. X; X said; in X, Oklahoma)."""
    at = english.find(span)
    if at < 0:
        return None
    before, after = english[:at], english[at + len(span):]
    if _EN_PER_BEFORE.search(before) or _EN_PER_AFTER.match(after):
        return PER
    if _EN_LOC_BEFORE.search(before) and _EN_LOC_AFTER.match(after):
        return LOC
    return None


def _aligned_english(form: str, english: str) -> tuple[str, float] | None:
    best = None
    for span in _english_spans(english):
        score = similarity(form, span)
        if score >= MIN_ALIGNED_SIMILARITY and (best is None or score > best[1] or score == best[1] and len(span) < len(best[0])):
            best = (span, score)
    return best


def _linked_english(source: Source, start: int, end: int, words: int) -> str | None:
    """The English words whose attention peaks on article offsets ``start:end``, in English
    order; None when they are more than two words beyond the name's ``words`` or hold Arabic
    letters (a model that copies its source: random weights)."""
    linked = sorted((e0, e1) for e0, e1, a0, a1 in source.links if a0 < end and a1 > start)
    if not linked or len(linked) > words + 2:
        return None
    english = " ".join(source.english[e0:e1] for e0, e1 in linked).strip()
    return english if english and not has_arabic(english) else None


class _Collector:
    def __init__(self, documents: Sequence[Sequence[Source]], glossary, common: CommonWords):
        self.glossary = glossary
        self.common = common
        counts: Counter[str] = Counter()
        for doc in documents:
            for source in doc:
                counts.update(form_key(w) for _, _, w in _tokens(source.text))
        self.word_counts = counts
        known: set[str] = set()
        if glossary is not None:
            for entry in glossary.entries:
                for form in entry.forms:
                    known.update(form_key(form).split())
        self.glossary_words = known
        self.mentions: dict[str, list[_Mention]] = defaultdict(list)

    def attested(self, key: str) -> bool:
        return key in self.glossary_words or self.word_counts[key] > 0 or key in self.common

    def nisba_of_name(self, key: str) -> bool:
        """إيراني، روسي، السورية: the adjective of a name the glossary or the documents know."""
        for suffix in ("\u064a", "\u064a\u0647", "\u064a\u0648\u0646", "\u064a\u064a\u0646"):
            if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                stem = key[: -len(suffix)]
                bare = stem[2:] if stem.startswith(_ARTICLE) else stem
                if any(self.glossary_word(w) for w in (stem, bare, bare + "\u0627", bare + "\u0647", bare + "\u064a\u0627")):
                    return True
                if any(self.word_counts[w] for w in (bare + "\u0627", bare + "\u064a\u0627")):
                    return True  # بريطانيين beside بريطانيا in the documents
        return False

    def glossary_word(self, key: str) -> bool:
        return key in self.glossary_words or (_ARTICLE + key) in self.glossary_words

    def blocked(self, token: _Token) -> bool:
        """A word that is never part of a name run."""
        return (
            self.common.is_stop_word(token.key)
            or self.nisba_of_name(token.key)
            or cue_type(token.key) is not None
            or is_nisba(token.key)
            or _ADJECTIVE_END.search(token.surface) is not None  # أميركية، الجوية: adjectives
            or len(token.key) < 2
        )

    def collect(self, source: Source) -> None:
        text = source.text
        known_spans = [(m.start, m.end) for m in self.glossary.match(text)] if self.glossary is not None else []
        tokens: list[_Token | None] = []
        for start, end, word in _tokens(text):
            if any(s < end and start < e for s, e in known_spans):
                tokens.append(None)  # a glossary term: it breaks runs and is never proposed
                continue
            surface, key, clitic = _strip(word, form_key(word), self.attested, self.common.is_stop_word)
            tokens.append(_Token(start, end, surface, key, clitic))
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token is None or self.blocked(token):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and j - i < MAX_RUN:
                nxt = tokens[j]
                if nxt is None or self.blocked(nxt) or nxt.clitic or not text[tokens[j - 1].end:nxt.start].isspace():
                    break
                j += 1
            end = self._add(source, tokens, i, j)
            if end is None:
                for k in range(i, j):  # no cue: each word counts on its own, as a recurring word
                    self._add(source, tokens, k, k + 1, cued=False)
            i = end if end is not None and end < j else j  # the English spelt part of the run: look at the rest

    def _cue(self, source: Source, tokens: Sequence[_Token | None], i: int, j: int) -> tuple[list[str], list[str]]:
        cues, types = [], []
        # look back over nisbas, stop words and common nouns (وزير الخارجية الإيراني محمد …) to a title or head
        k = i - 1
        while k >= 0 and i - k <= 5:
            prev = tokens[k]
            if prev is None:
                break
            kind = cue_type(prev.key)
            if kind is not None and (kind == PER or k == i - 1 or self._adjectives(tokens, k + 1, i)):
                cues.append(f"{'title' if kind == PER else 'head'} {prev.surface}")
                types.append(kind)
                break
            if prev.key in BREAKS or not (
                is_nisba(prev.key) or self.common.is_stop_word(prev.key) or _TEH_MARBUTA_END.search(prev.surface)
            ):
                break
            k -= 1
        if types and i > 0 and tokens[i - 1] is not None and is_nisba(tokens[i - 1].key):
            cues.append("nisba")  # وزير الخارجية الإيراني محمد …: a nisba between the title and the name
        if not types and j - i >= 2 and tokens[i].key in GIVEN_NAMES:
            cues.append(f"given name {tokens[i].surface}")
            types.append(PER)
        return cues, types

    def _aligned_run(self, text: str, english: str, tokens: list, i: int, j: int) -> tuple[int, int, tuple[str, float]] | None:
        """The sub-run of ``tokens[i:j]`` best spelt by a capitalised span of ``english``."""
        best = None
        for a in range(i, j):
            for b in range(a + 1, j + 1):
                for lead in self._readings(tokens[a]):
                    rest = text[tokens[a].end:tokens[b - 1].end] if b - a > 1 else ""
                    found = _aligned_english(" ".join((lead + rest).split()), english)
                    rank = (found[1], b - a, lead != tokens[a].surface) if found else None
                    if found and (best is None or rank > best[4]):  # a tie goes to the reading without a proclitic
                        best = (a, b, found, lead, rank)
        if best is None:
            return None
        a, b, found, lead, _ = best
        if lead != tokens[a].surface:  # the English attests the word without its proclitic (وأريال → Ariel)
            tokens[a] = _Token(tokens[a].start, tokens[a].end, lead, form_key(lead), True)
        return a, b, found

    def _readings(self, token: _Token) -> list[str]:
        """The word as it is, and without each proclitic it may carry."""
        readings = [token.surface]
        if token.clitic:
            return readings
        norm = normalize_arabic(token.surface)
        for clitic in _CLITICS:
            if token.key.startswith(clitic) and len(token.key) - len(clitic) >= 3:
                readings.append(token.surface[norm.starts[len(clitic)]:])
        return readings

    def _adjectives(self, tokens, a: int, b: int) -> bool:
        return all(t is not None and (is_nisba(t.key) or _ADJECTIVE_END.search(t.surface)) for t in tokens[a:b])

    def _add(self, source: Source, tokens: Sequence[_Token | None], i: int, j: int, *, cued: bool = True) -> int | None:
        """Record the run ``tokens[i:j]`` (or the part of it that the aligned English spells) as a
        mention and return where the recorded words end; None (nothing recorded) for a run of
        several words without a cue or an aligned English span."""
        text = source.text
        aligned = None
        if source.english_kind == "aligned" and source.english:
            aligned = self._aligned_run(text, source.english, tokens, i, j)
            if aligned is not None:
                i, j, english = aligned  # the words of the run that the English spells (قام ديكلان غالاغر بتمرير)
        cues, types = self._cue(source, tokens, i, j) if cued else ([], [])
        if PER in types and aligned is None and j - i >= 2 and tokens[i].key.startswith(_ARTICLE):
            i += 1  # رئيس البرلمان نبيه بري: the title's domain, not the name
        first, last = tokens[i], tokens[j - 1]
        head = tokens[i - 1] if cued and i > 0 else None
        if head is not None and head.key in NAME_HEADS and text[head.end:first.start].isspace():
            i, first = i - 1, head  # the head is part of the name: حزب الله، جبهة النصرة
        form = first.surface + text[first.end:last.end] if j - i > 1 else first.surface
        form = " ".join(form.split())
        key = form_key(form)
        mention = _Mention(source.doc, form, cues, types, _context(text, first.start, last.end), segment_english=source.english,
                           human_english=source.english_kind == "aligned" and bool(source.english))
        if aligned is not None:
            mention.english["aligned"] = english
            guessed = None if types else _english_type(source.english, english[0])
            if guessed:
                mention.types.append(guessed)  # no Arabic cue: the English context says (Mr. X, X said)
        elif source.english_kind == "mt" and source.english:
            linked = _linked_english(source, source.start + first.start, source.start + last.end, j - i)
            if linked:
                mention.english["mt"] = (linked, similarity(form, linked))
            elif not source.links:  # a JSON without word links: the model's capitalised words, by spelling
                found = _aligned_english(form, source.english)
                if found:
                    mention.english["mt"] = found
        if j - i > 1 and not cues and "aligned" not in mention.english:
            return None
        self.mentions[key].append(mention)
        return j


def _vote(mentions: Sequence[_Mention], source: str) -> Proposal | None:
    votes: dict[str, float] = defaultdict(float)
    for mention in mentions:
        if source in mention.english:
            en, score = mention.english[source]
            votes[en] += max(score, 0.01)
    if not votes:
        return None
    en, score = max(votes.items(), key=lambda kv: (kv[1], -len(kv[0])))
    return Proposal(en, source, round(score, 3))


def _confidence(count: int, docs: int, cues: Counter, aligned: Proposal | None, common: bool) -> float:
    score = 0.1
    if any(c.startswith(("title", "head")) for c in cues):
        score += 0.45
    elif any(c.startswith("given name") for c in cues):
        score += 0.3
    if "nisba" in cues:
        score += 0.15
    score += 0.1 * min(count - 1, 3) + (0.05 if docs > 1 else 0.0)
    if aligned is not None:
        score += 0.3 * min(1.0, aligned.score / max(count, 1))
    if common:
        score -= 0.3
    return round(max(0.0, min(1.0, score)), 2)


def suggest_entries(
    documents: Sequence[Sequence[Source]],
    glossary=None,
    common: CommonWords | None = None,
    *,
    min_count: int = 1,
    top: int | None = None,
    romanizer: Callable[[str], str | None] | None = None,
) -> list[Candidate]:
    """The candidates of ``documents`` (each a list of ``Source``), best first."""
    common = common if common is not None else CommonWords()
    collector = _Collector(documents, glossary, common)
    for doc in documents:
        for source in doc:
            collector.collect(source)
    candidates = []
    for key, mentions in collector.mentions.items():
        count = len(mentions)
        cues = Counter(c for m in mentions for c in m.cues)
        strong = any(c.startswith(("title", "head", "given name")) for c in cues)
        aligned = _vote(mentions, "aligned")
        if count < min_count or not (strong or "nisba" in cues or aligned is not None or count >= 2):
            continue
        form = Counter(m.surface for m in mentions).most_common(1)[0][0]
        if glossary is not None and glossary.match(form):
            continue  # the glossary already matches it (through another reading)
        is_common = " " not in key and form in common
        if is_common and not strong:
            continue  # a common word, with nothing saying it is a name here
        types = Counter(t for m in mentions for t in m.types)
        if aligned is None and any(m.human_english for m in mentions) and not (strong and types.get(ORG)):
            continue  # a human translation is there and does not spell it (organisations are translated, not spelt)
        definite = key.startswith(_ARTICLE) and " " not in key
        if definite and not (strong or aligned is not None):
            continue  # a recurring ال word without a cue is most often a common noun
        if not (strong or aligned is not None) and _TEH_MARBUTA_END.search(form):
            continue  # nor is a recurring word in teh marbuta (زيارة، مكافحة) without one
        type_ = types.most_common(1)[0][0] if types else MISC
        docs = tuple(dict.fromkeys(m.doc for m in mentions))
        proposals = [p for p in (aligned, _vote(mentions, "mt")) if p is not None]
        if romanizer is not None:
            latin = romanizer(form)
            if latin:
                proposals.append(Proposal(latin, "romanizer", 1.0))
        proposals.append(Proposal(romanize(form), "rule", 0.0))
        proposals = _ordered(proposals, form)
        example = next((m for m in mentions if "aligned" in m.english), None) or next((m for m in mentions if m.cues), mentions[0])
        confidence = _confidence(count, len(docs), cues, aligned, is_common)
        candidates.append(
            Candidate(form, type_, count, docs, tuple(sorted(cues.items(), key=lambda kv: (-kv[1], kv[0]))), example.context,
                      tuple(proposals), confidence, common.gloss(form) if is_common else "", example.segment_english)
        )
    candidates.sort(key=lambda c: (-c.confidence, -c.count, c.ar))
    return candidates[:top] if top else candidates


def _spells_as_name(form: str, english: str) -> bool:
    """The model wrote a name for it: capitalised words (``al-`` aside) that spell the Arabic."""
    words = [w[3:] if w.lower().startswith(("al-", "el-")) else w for w in english.split()]
    return all(w[:1].isupper() for w in words) and similarity(form, english) >= MIN_MT_SIMILARITY


def _ordered(proposals: list[Proposal], form: str) -> list[Proposal]:
    """aligned, then mt when it spells the name as a name, romanizer, rule; an mt proposal that
    does not (random weights, a wrong peak, a lower-case romanisation) goes last; one proposal
    per distinct English."""
    def rank(p: Proposal) -> tuple[int, int]:
        if p.source == "mt" and not _spells_as_name(form, p.en):
            return (len(SOURCES), 0)
        return (SOURCES.index(p.source), 0)

    seen, out = set(), []
    for p in sorted(proposals, key=rank):
        if p.en not in seen:
            seen.add(p.en)
            out.append(p)
    return out


def write_candidates(candidates: Iterable[Candidate], path: Path | str, *, bom: bool = True) -> int:
    """Write the candidates as glossary import CSV (``ar,en,type,variants,note``); return how many."""
    from .files import write_entries

    entries = [c.entry() for c in candidates]
    write_entries(path, entries, "csv", bom=bom)
    return len(entries)


def candidates_csv(candidates: Iterable[Candidate]) -> str:
    """The CSV text of ``write_candidates`` (no BOM), for stdout."""
    from .files import _csv_text

    return _csv_text([c.entry() for c in candidates])

