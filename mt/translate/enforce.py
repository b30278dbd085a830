"""Glossary enforcement: every matched term ends up in the English output.

The same plan drives both backends, from data only (target pieces of each
term, the source pieces it covers, the decoder's cross-attention):

1. The segment is decoded freely, returning cross-attention.  A segment with
   no glossary match stops here, so it is decoded exactly as without a
   glossary.
2. Terms whose canonical English the model already wrote are ``produced``
   (counted per occurrence, so a term is never written twice; longer forms
   first, so "Bashar al-Assad" does not also count as "Assad").
3. Each missing term is placed where the attention points: the output words
   whose attention peaks on the term's source pieces (the model's own
   rendering of the name) are replaced by the term's pieces; with no such
   word, the term is inserted before the word attending most to it; when
   attention is flat (no peak), at the position proportional to where the
   term begins in the source (so a term opening the source opens the output).
4. The spliced output up to the end of the last term becomes a forced target
   prefix, and the decoder continues from there (a second, constrained pass):
   the rest of the sentence is generated knowing the terms.  By default it
   goes on greedily only until it writes again what the free output wrote
   after the term (``rejoin_point``), and the free output's rest follows, so
   the sentence changes only where the term made a difference
   (``DecodeOptions.continuation``).  Terms are only
   ever placed at word starts, and a free piece right after a term that
   would continue its last word is written as a word start, so nothing glues
   onto a term inside the prefix; the first piece after the prefix is the likeliest of the model's top
   candidates that does not continue the term's last word ("Russia" + "n"):
   a new word, punctuation such as "'s" or ".", or ``</s>``.

A term is ``missing`` when the target vocabulary cannot spell it (one of its
pieces is unknown), so it is not forced.  The final English is checked for
every term all the same (``final_statuses``), so a term that is not there is
reported ``missing``, never assumed.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..glossary import check_statuses, find_terms, joins_word
from ..types import TERM_FORCED, TERM_MISSING, TERM_PRODUCED
from .vocab import EOS, WORD_START, MarianVocabulary

# Attention counts as peaked when its best target position gets this many
# times the mass of an average position.
PEAK_RATIO = 1.5

# A continuation after a forced prefix rejoins the free output when its last
# this many pieces are consecutive pieces of what the free output wrote after
# the term (``rejoin_point``).
REJOIN_WIDTH = 2


# What a translation model writes for the proclitics a match may carry
# (``TermMatch.clitic``): وروسيا is "and Russia", and the term "Russia"
# replaces only "Russia" there, never the "and" (``_without_clitic_words``).
CLITIC_ENGLISH = {
    "و": ("and",),
    "ف": ("so", "then", "and"),
    "ب": ("in", "with", "by", "at", "on", "to"),
    "ل": ("for", "to", "of"),
    "ك": ("as", "like"),
}


@dataclass(frozen=True)
class Constraint:
    """A term to enforce in one segment: its English pieces, the span of
    source pieces (``src_from``, ``src_to``) its Arabic covers and the
    proclitics that Arabic begins with (``TermMatch.clitic``)."""

    en: str
    pieces: tuple[str, ...]
    src_from: int
    src_to: int
    spellable: bool = True
    clitic: str = ""


# How a forced term was placed (``Plan.placements``).
REPLACED = "replaced"  # in place of the words that attend to it
INSERTED = "inserted"  # between words


@dataclass(frozen=True)
class Plan:
    """What enforcement decided for one segment after the free pass.

    ``spliced`` is the whole free output with the terms spliced in, and
    ``tail`` the pieces at its end that are the free output's own, after the
    last term (``free_tail`` of them in the free output): what a scoring pass
    checks before the splice is kept without decoding on."""

    prefix: tuple[str, ...] | None  # forced target prefix, None when nothing is forced
    statuses: tuple[str, ...]  # one per constraint
    placements: tuple[str, ...] = ()  # one per forced term, in constraint order: REPLACED or INSERTED
    spliced: tuple[str, ...] = ()
    tail: int = 0
    free_tail: int = 0
    resume: int = 0  # the free output's pieces from here on followed the prefix's last term
    # The words the prefix's last term replaced, as pieces joined ("▁Asad"; ``boundary_piece``).
    replaced: tuple[str, ...] = ()

    @property
    def replaces_only(self) -> bool:
        """Every forced term took the place of the model's own rendering."""
        return bool(self.placements) and all(p == REPLACED for p in self.placements)


def make_constraint(
    vocab: MarianVocabulary, en: str, piece_spans: Sequence[tuple[int, int]], start: int, end: int, clitic: str = ""
) -> Constraint:
    """The constraint for term ``en`` found at characters ``[start, end)`` of
    a source whose pieces have character spans ``piece_spans``, the match
    beginning with the proclitics ``clitic``."""
    covered = [i for i, (a, b) in enumerate(piece_spans) if a < end and b > start]
    if not covered:  # cannot happen for a non-empty term; be safe
        covered = [min(range(len(piece_spans)), key=lambda i: abs(piece_spans[i][0] - start))] if piece_spans else [0]
    pieces = vocab.encode_target(en)
    return Constraint(
        en=en,
        pieces=pieces,
        src_from=covered[0],
        src_to=covered[-1] + 1,
        spellable=all(vocab.is_known(p) for p in pieces),
        clitic=clitic,
    )


def detokenize(pieces: Sequence[str]) -> tuple[str, list[int]]:
    """Plain SentencePiece detokenisation and, for each character of the
    result, the index of the piece it comes from."""
    chars: list[str] = []
    owner: list[int] = []
    for i, piece in enumerate(pieces):
        for ch in piece.replace(WORD_START, " "):
            chars.append(ch)
            owner.append(i)
    text = "".join(chars)
    lead = len(text) - len(text.lstrip(" "))
    return text[lead:].rstrip(" "), owner[lead:]


def _word_start(pieces: Sequence[str], t: int) -> int:
    while t > 0 and not pieces[t].startswith(WORD_START):
        t -= 1
    return t


def _words(pieces: Sequence[str]) -> tuple[str, ...]:
    """The words of ``pieces``, each as its pieces joined ("▁As" "ad" → "▁Asad")."""
    starts = [t for t, piece in enumerate(pieces) if piece.startswith(WORD_START)]
    return tuple("".join(pieces[t : _word_end(pieces, t)]) for t in starts)


def _word_end(pieces: Sequence[str], t: int) -> int:
    t += 1
    while t < len(pieces) and not pieces[t].startswith(WORD_START):
        t += 1
    return t


def _placement(
    constraint: Constraint,
    pieces: Sequence[str],
    attention: Sequence[Sequence[float]] | None,
    peaks: Sequence[int],
    claimed: set[int],
    n_source: int,
) -> tuple[int, int]:
    """Target piece range ``[a, b)`` the term replaces (``a == b``: insert).
    ``peaks[t]``: the source piece that row ``t`` of ``attention`` peaks on."""
    n = len(pieces)
    if n == 0:
        return 0, 0
    mass = []
    if attention:
        mass = [sum(row[constraint.src_from : constraint.src_to]) for row in attention[:n]]
    peaked = bool(mass) and max(mass) > PEAK_RATIO * (sum(mass) / len(mass))
    if not peaked:
        t = min(n - 1, int(constraint.src_from / max(1, n_source) * n))
        while t < n and t in claimed:
            t += 1
        return (_word_start(pieces, t), _word_start(pieces, t)) if t < n else (n, n)
    aligned = _aligned_words(constraint, pieces, attention, peaks, mass, claimed)
    peak = max(aligned or (t for t in range(n) if t not in claimed), key=lambda t: mass[t], default=None)
    if peak is None:
        return n, n
    if peak not in aligned:
        start = _word_start(pieces, peak)
        return start, start  # insert before the word attending most to the term
    lo = hi = peak
    while lo - 1 in aligned:
        lo -= 1
    while hi + 1 in aligned:
        hi += 1
    b = _word_end(pieces, hi)
    while b - 1 > lo and not any(ch.isalnum() for ch in pieces[b - 1]):
        b -= 1  # "Rossia." : the full stop stays
    a, b = _without_clitic_words(pieces, _word_start(pieces, lo), b, constraint.clitic)
    if any(t in claimed for t in range(a, b)):
        return a, a  # next to a term already there: insert, replace nothing
    return a, b


def _aligned_words(
    constraint: Constraint, pieces: Sequence[str], attention, peaks: Sequence[int], mass: Sequence[float], claimed: set[int]
) -> set[int]:
    """The pieces of the output words that render the term's source: words
    of which at least half the pieces attend to it (``mass``: each piece's
    attention on the term).  A decoder often looks at the next source word
    while it ends a word ("tqwdh" before "Rossia"), and one such piece does
    not make its word the name's."""
    on_term = [_attends_to(constraint, row, peak, m) for row, peak, m in zip(attention[: len(pieces)], peaks, mass)]
    aligned: set[int] = set()
    start = 0
    while start < len(pieces):
        end = _word_end(pieces, start)
        word = range(start, end)
        if not any(t in claimed for t in word) and 2 * sum(on_term[t] for t in word) >= len(word):
            aligned.update(word)
        start = end
    return aligned


def _attends_to(constraint: Constraint, row: Sequence[float], peak: int, mass: float) -> bool:
    """Whether an output piece whose attention is ``row`` (``mass`` of it on
    the term, its peak on source piece ``peak``) looks at the term's source:
    its peak is there, or the term holds at least half its attention and
    ``PEAK_RATIO`` times the term's share of a flat row.  The peak alone
    misses a piece whose attention runs a word ahead over a name of several
    pieces ("iy" of "▁ iy ran", half of it on إيران, its peak just after)."""
    if constraint.src_from <= peak < constraint.src_to:
        return True
    share = (constraint.src_to - constraint.src_from) / len(row)
    return 2 * mass >= 1 and mass > PEAK_RATIO * share


def _without_clitic_words(pieces: Sequence[str], a: int, b: int, clitic: str) -> tuple[int, int]:
    """The words ``[a, b)`` aligned to a term, less the leading words that
    render its proclitics: in "and Rusia" for وروسيا, the term replaces
    "Rusia" alone.  When nothing else is left, the term goes in after them."""
    for letter in clitic:
        if a >= b:
            break
        end = _word_end(pieces, a)
        word = "".join(pieces[a:end]).replace(WORD_START, "").lower()
        if word not in CLITIC_ENGLISH.get(letter, ()):
            break
        a = end
    return (a, b) if a < b else (b, b)


def plan_segment(
    pieces: Sequence[str],
    attention: Sequence[Sequence[float]] | None,
    constraints: Sequence[Constraint],
    n_source: int,
    vocab: MarianVocabulary | None = None,
) -> Plan:
    """Decide, from the free decoding ``pieces``, which terms were produced
    and the prefix that forces the others (see the module docstring).
    ``vocab`` says which pieces exist (all of them when ``None``)."""
    if not constraints:
        return Plan(prefix=None, statuses=())
    text, owner = detokenize(pieces)
    found = find_terms(text, [c.en for c in constraints])
    statuses: list[str] = [""] * len(constraints)
    claimed: set[int] = set()
    produced_last: list[int] = []  # last piece of each produced term
    used = {form: 0 for form in found}
    for k, c in enumerate(constraints):
        spans = found[c.en]
        if used[c.en] < len(spans):
            a, b = spans[used[c.en]]
            used[c.en] += 1
            statuses[k] = TERM_PRODUCED
            claimed.update(range(owner[a], owner[b - 1] + 1))
            produced_last.append(owner[b - 1])
        elif not c.spellable:
            statuses[k] = TERM_MISSING
    todo = [k for k, s in enumerate(statuses) if not s]
    if not todo:
        return Plan(prefix=None, statuses=tuple(statuses))

    # Place each missing term, then splice all of them in at once.
    edits: list[tuple[int, int, int]] = []  # (start, end, constraint index)
    placements = []
    # Where each output piece's attention peaks (the first source piece, on a tie).
    peaks = [row.index(max(row)) for row in attention[: len(pieces)]] if attention else []
    for k in todo:
        a, b = _placement(constraints[k], pieces, attention, peaks, claimed, n_source)
        claimed.update(range(a, b))
        edits.append((a, b, k))
        statuses[k] = TERM_FORCED
        placements.append(REPLACED if b > a else INSERTED)
    edits.sort(key=lambda e: (e[0], e[2]))
    splice = _Splice(vocab)
    # (end in the spliced output, free piece that follows, first pieces of the words it replaced)
    term_ends: list[tuple[int, int, tuple[str, ...]]] = []
    pos = 0
    for a, b, k in edits:
        a = max(a, pos)
        for i in range(pos, a):
            splice.free(i, pieces[i])
        pos = max(b, a)
        words = _words(pieces[a:b])
        term_ends.append((splice.term(constraints[k].pieces), pos, words))
    last_term_end = len(splice.out)
    for i in range(pos, len(pieces)):
        splice.free(i, pieces[i])
    term_ends.extend((splice.moved[i] + 1, i + 1, ()) for i in produced_last if i in splice.moved)
    prefix_end, resume, replaced = max(term_ends, key=lambda end: end[:2])
    # Not a word that the piece the free output itself went on with after
    # the words replaced begins: the free output's own way on is never avoided.
    if resume < len(pieces):
        replaced = tuple(w for w in replaced if not begins(pieces[resume], w))
    return Plan(
        prefix=tuple(splice.out[:prefix_end]),
        statuses=tuple(statuses),
        placements=tuple(placements),
        spliced=tuple(splice.out),
        tail=len(splice.out) - last_term_end,
        free_tail=len(pieces) - pos,
        resume=resume,
        replaced=replaced,
    )


def rejoin_point(after: Sequence[str], free: Sequence[str], resume: int, width: int = REJOIN_WIDTH) -> int | None:
    """Where a continuation rejoins the free output, if it does.

    ``after`` is what the decoder wrote after the forced prefix, ``free`` the
    free output, of which ``free[resume:]`` followed the prefix's last term.
    The continuation rejoins when its last ``width`` pieces are ``width``
    consecutive pieces of ``free[resume:]``; the answer is the index in
    ``free`` of the last of them (the first such place when there are
    several), so the sentence goes on with ``free[j + 1:]``.  Only the
    continuation's end is compared, so a decoder stopped at the first answer
    that is not ``None`` gives the same answer after the fact."""
    if len(after) < width:
        return None
    window = list(after[-width:])
    for j in range(resume + width - 1, len(free)):
        if list(free[j - width + 1 : j + 1]) == window:
            return j
    return None


class _Splice:
    """The free output with terms spliced in, built left to right.

    A term's first piece begins a word, so nothing glues onto it from the
    left.  What follows a term is the free output, which may go on with a
    piece that continues a word: a term inserted at the start of an output
    whose first piece is "increase" without its word start (random weights
    write such pieces anywhere) would read "Shamkhaniincrease".  Such a piece is written as a word start instead: its
    ``▁`` form when the vocabulary has it, else after the bare ``▁`` piece,
    else (a vocabulary with neither) the rest of that word is left out.
    """

    def __init__(self, vocab: MarianVocabulary | None):
        self.vocab = vocab
        self.out: list[str] = []
        self.moved: dict[int, int] = {}  # free piece index → its index in ``out``
        self._after_term = False
        self._dropping = False

    def _known(self, piece: str) -> bool:
        return self.vocab is None or self.vocab.is_known(piece)

    def term(self, term_pieces: Sequence[str]) -> int:
        """Append a term; return the end of it in ``out``."""
        self.out.extend(term_pieces)
        self._after_term, self._dropping = True, False
        return len(self.out)

    def free(self, index: int, piece: str) -> None:
        """Append free piece ``index``, separated from a term just before it."""
        glues = continues_word(piece)
        if self._dropping and glues:
            return
        self._dropping = False
        if self._after_term and glues:
            if self._known(WORD_START + piece):
                piece = WORD_START + piece
            elif self._known(WORD_START):
                self.out.append(WORD_START)
            else:
                self._dropping = True
                return
        self._after_term = False
        self.moved[index] = len(self.out)
        self.out.append(piece)


def continues_word(piece: str) -> bool:
    """Whether ``piece`` would glue onto the word before it ("Russia" + "n")."""
    return not piece.startswith(WORD_START) and joins_word(piece)


def begins(piece: str, word: str) -> bool:
    """Whether ``piece`` is ``word`` or begins it as a word of its own
    ("▁alm" begins "▁almtwst"; the bare word start begins no word)."""
    return piece != WORD_START and (piece == word or (piece.startswith(WORD_START) and word.startswith(piece)))


def own_rendering(replaced: Sequence[str], free: Sequence[str]) -> tuple[str, ...]:
    """Of the words a term replaced (``Plan.replaced``), those that are the
    name's rendering and nothing else: not what a clitic becomes ("and";
    ``CLITIC_ENGLISH``), and not a word the free output ``free`` (pieces)
    also writes elsewhere ("the"), which any sentence may write again."""
    clitic_words = {w for ws in CLITIC_ENGLISH.values() for w in ws}
    written = Counter(_letters(w) for w in _words(free))
    mine = Counter(_letters(w) for w in replaced)
    return tuple(w for w in mine if w and w not in clitic_words and written[w] <= mine[w])


def writes_again(pieces: Sequence[str], rendering: Sequence[str]) -> bool:
    """Whether ``pieces`` write, as a word of their own, a word of the name's
    rendering (``own_rendering``), punctuation around it aside ("▁Ro" "na"
    "." writes "Rona")."""
    return any(_letters(w) in rendering for w in _words(pieces))


def writes_terms_again(target: str, free: str, constraints: Sequence[Constraint]) -> bool:
    """Whether the English ``target`` writes a term more often than its
    segment asks for it (one occurrence a constraint) and than the free
    output ``free`` already had it, counted as ``find_terms`` counts them."""
    forms = [c.en for c in constraints]
    found, before = find_terms(target, forms), find_terms(free, forms)
    return any(len(found[form]) > max(forms.count(form), len(before[form])) for form in set(forms))


def _letters(word: str) -> str:
    """A word without its word start and the punctuation around it ("▁Rona." → "Rona")."""
    return word.lstrip(WORD_START).strip(string.punctuation)


def boundary_piece(candidates: Sequence[str], vocab: MarianVocabulary, avoid: Sequence[str] = ()) -> str:
    """The most likely candidate that ends the word before it (a new word,
    punctuation such as "'s" or ".", or ``</s>``) and begins nothing in
    ``avoid`` (``begins``); the bare word-start piece when none is.

    ``avoid`` holds the words the term replaced (``Plan.replaced``): a
    decoder whose attention still rests on the name writes its own rendering
    again after the term ("coronavirus" + "▁Rona", where the term replaced
    "Fawser Rona"), a duplicate, and may spell it with other pieces than it
    did ("▁alm" "t" "w" "st" for "▁almt" "w" "st")."""
    for piece in candidates:
        if not continues_word(piece) and not any(begins(piece, word) for word in avoid):
            return piece
    return WORD_START if vocab.is_known(WORD_START) else EOS


def final_statuses(text: str, constraints: Sequence[Constraint], planned: Sequence[str]) -> tuple[str, ...]:
    """Check the final English ``text``: a planned term that is not there is
    reported ``missing``, never assumed."""
    return check_statuses(text, [c.en for c in constraints], planned)
