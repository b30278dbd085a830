"""Short forms of people's names within a document.

Once a PER entry's full form has appeared in a document, a later bare
surname stands for that entry: علي شمخاني … شمخاني → "Shamkhani".  An entry's
short form is, by default, the last word of each of its Arabic forms (with a
particle before it kept: عبد، بن، أبو … as in بن سلمان) and its last English
word (with lower-case particles before it: "bin Salman"); the glossary's
``short`` column gives another (``entries.parse_short``) or none (``-``).

The surname matches with or without ال, through the matcher's clitics.  What
the document decides (``Glossary.match_document``): not before the full
form, not when two entries that share the surname both appear.  What the
glossary decides (here): not when the surname is a form of an entry of its
own (that entry matches it everywhere) or a common word.
"""

from __future__ import annotations

from dataclasses import dataclass

from .entries import SHORT_NONE, Entry, form_key, parse_short

_ARTICLE = "\u0627\u0644"  # ال after normalisation
_MIN_LETTERS = 3  # a shorter surname is too likely to be something else
# Words that belong to the surname that follows them (normalised by form_key).
_PARTICLES = frozenset(form_key(w) for w in ("عبد", "بن", "ابن", "أبو", "أبي", "آل", "بنت"))
# Arabic words that are surnames as well as common words, so that a bare
# mention is far more often the word than the person: عون (Aoun, 'help'),
# بري (Berri, 'land'), سلام (Salam, 'peace') …  The shared list of common
# words (for the glossary checks and suggestions) should replace this one.
_COMMON_SURNAMES = frozenset(
    form_key(w)
    for w in (
        "عون", "بري", "سلام", "حرب", "نصر", "أمل", "حسن", "سعيد", "كريم", "جميل", "صالح", "عادل", "أمين",
        "نور", "فرح", "خير", "حق", "عمر", "علي", "محمد", "أحمد",
    )
)


@dataclass(frozen=True)
class ShortForm:
    """The short form of ``owner``: Arabic ``forms`` (normalised keys unique), English ``en``."""

    owner: Entry
    forms: tuple[str, ...]
    en: str

    def entry(self) -> Entry:
        """The short form as an entry (its first Arabic form is its id), as a ``TermMatch`` carries it."""
        return Entry(ar=self.forms[0], en=self.en, type=self.owner.type, variants=self.forms[1:],
                     note=f"short form of {self.owner.ar}")


def is_common_word(form: str) -> bool:
    """Whether the Arabic ``form`` (with or without ال) is a common word that is also a surname."""
    key = form_key(form)
    bare = key.removeprefix(_ARTICLE)
    return key in _COMMON_SURNAMES or bare in _COMMON_SURNAMES


def _last_arabic_name(form: str) -> str | None:
    words = form.split()
    if len(words) < 2:
        return None
    take = 2 if len(words) > 2 and form_key(words[-2]) in _PARTICLES else 1
    return " ".join(words[-take:])


def _last_english_name(en: str) -> str:
    words = en.split()
    if len(words) < 2:
        return ""
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1  # "bin Salman", "van der Leyen"
    return " ".join(words[start:])


def short_form(entry: Entry) -> ShortForm | None:
    """The short form of a PER entry (see the module docstring), or ``None``:
    not a person, ``short`` is ``-``, or a one-word name with none given."""
    if entry.type != "PER" or entry.short.strip() == SHORT_NONE:
        return None
    forms, en = parse_short(entry.short)
    if not forms:
        forms = tuple(name for name in map(_last_arabic_name, entry.forms) if name)
    en = en or _last_english_name(entry.en)
    unique: dict[str, str] = {}
    for form in forms:
        key = form_key(form)
        if key != form_key(entry.ar) and len(key.replace(" ", "")) >= _MIN_LETTERS:
            unique.setdefault(key, form)
    if not unique or not en:
        return None
    return ShortForm(entry, tuple(unique.values()), en)


def matchable_keys(short: ShortForm, taken: set[str]) -> list[str]:
    """The normalised forms a short form matches: each with and without ال,
    less those that are a form of an entry (``taken``) or a common word."""
    keys: list[str] = []
    for form in short.forms:
        key = form_key(form)
        other = key[len(_ARTICLE):] if key.startswith(_ARTICLE) else _ARTICLE + key
        for candidate in (key, other):
            if candidate not in taken and candidate not in keys and not is_common_word(candidate):
                keys.append(candidate)
    return keys
