"""How alike an Arabic name and a Latin spelling are, and a rough romanisation of last resort.

Both sides are reduced to a consonant skeleton in one alphabet of sound classes (vowels, the
long vowels and glides ا و ي, hamza and ain dropped; ث ت ط and English t/th one class, ق ك خ and
k/q/c/kh one, and so on), and the skeletons compared with ``difflib``.  The article ال and
English ``al-``/``el-`` are dropped on both sides.  It is made for pairing a candidate with a
capitalised English span, not for writing names: ``romanize`` is only the fallback spelling of
``mt glossary suggest`` when no better source has one.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..text import normalize_arabic

# Arabic letter (after normalize_arabic) → sound class; absent letters are dropped.
_AR_CLASS = {
    "\u0628": "b",  # ب (and پ after normalisation)
    "\u062a": "t", "\u062b": "t", "\u0637": "t",  # ت ث ط
    "\u062c": "g",  # ج: j, or g in Egypt (جراهام Graham); one class with غ and English j/g
    "\u062d": "h", "\u0647": "h",  # ح ه
    "\u062e": "k", "\u0642": "k", "\u0643": "k",  # خ ق ك
    "\u062f": "d", "\u0630": "d", "\u0636": "d",  # د ذ ض
    "\u0631": "r",  # ر
    "\u0632": "z", "\u0638": "z",  # ز ظ
    "\u0633": "s", "\u0635": "s",  # س ص
    "\u0634": "S",  # ش
    "\u063a": "g",  # غ
    "\u0641": "f",  # ف (and ڤ)
    "\u0644": "l", "\u0645": "m", "\u0646": "n",
}
# English letters and digraphs → the same classes (digraphs first).
_EN_DIGRAPHS = (("sh", "S"), ("ch", "S"), ("kh", "k"), ("gh", "g"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ck", "k"))
_EN_CLASS = {
    "b": "b", "p": "b", "t": "t", "j": "g", "h": "h", "k": "k", "q": "k", "c": "k", "x": "k", "d": "d",
    "r": "r", "z": "z", "s": "s", "g": "g", "f": "f", "v": "f", "l": "l", "m": "m", "n": "n", "S": "S",
}
_EN_ARTICLE = re.compile(r"^(?:al|el|ul|as|ad|ash|at|az)[-\u2019' ]", re.IGNORECASE)
_AR_ARTICLE = "\u0627\u0644"

# Rough romanisation (fallback spelling only).
_ROMAN = {
    "\u0627": "a", "\u0628": "b", "\u062a": "t", "\u062b": "th", "\u062c": "j", "\u062d": "h", "\u062e": "kh",
    "\u062f": "d", "\u0630": "dh", "\u0631": "r", "\u0632": "z", "\u0633": "s", "\u0634": "sh", "\u0635": "s",
    "\u0636": "d", "\u0637": "t", "\u0638": "z", "\u0639": "'", "\u063a": "gh", "\u0641": "f", "\u0642": "q",
    "\u0643": "k", "\u0644": "l", "\u0645": "m", "\u0646": "n", "\u0647": "h", "\u0648": "w", "\u064a": "y",
    "\u0621": "'",
}
_LONG_VOWELS = {"\u0648": "u", "\u064a": "i"}


def _collapse(skeleton: str) -> str:
    return re.sub(r"(.)\1+", r"\1", skeleton)


def arabic_skeleton(arabic: str) -> str:
    """The sound-class skeleton of an Arabic name (words joined, article dropped)."""
    out = []
    for word in arabic.split():  # the article as written: أليفا (Alleva) is not ال + يفا
        if word.startswith(_AR_ARTICLE) and len(word) > 3:
            word = word[2:]
        out.append("".join(_AR_CLASS.get(ch, "") for ch in normalize_arabic(word).text))
    return _collapse("".join(out))


def english_skeleton(english: str) -> str:
    """The sound-class skeleton of a Latin spelling (words joined, ``al-`` dropped)."""
    out = []
    for word in re.split(r"[\s]+", english.strip()):
        word = _EN_ARTICLE.sub("", word).lower()
        for digraph, cls in _EN_DIGRAPHS:
            word = word.replace(digraph, cls)
        out.append("".join(_EN_CLASS.get(ch, "") for ch in word))
    return _collapse("".join(out))


def similarity(arabic: str, english: str) -> float:
    """0..1: how well ``english`` could be a transliteration of ``arabic``: the ``difflib``
    ratio of the skeletons, 0 when their first sounds differ or one is over half as long
    again as the other, or has under three sounds (short ones match too easily otherwise:
    ساعات "st" is not Senate "snt")."""
    a, e = arabic_skeleton(arabic), english_skeleton(english)
    if not a or not e or a[0] != e[0] or max(len(a), len(e)) > 1.5 * min(len(a), len(e)) + 0.5:
        return 0.0
    if min(len(a), len(e)) < 3:
        return 0.0  # two sounds say nothing (أربع "rb" and Europe)
    short, long_ = sorted((a, e), key=len)
    if len(short) == 3 and not long_.startswith(short):
        return 0.0  # three sounds: only as the start of the other (كافانو "kfn", Kavanaugh "kfng"; not الخطر, Center)
    return SequenceMatcher(None, a, e, autojunk=False).ratio()


def spells(arabic: str, english: str, threshold: float = 0.75) -> bool:
    """Whether ``english`` is a transliteration of ``arabic``: similar enough, or (a short
    name, سوريا and Syria) the very same skeleton."""
    a = arabic_skeleton(arabic)
    return bool(a) and (a == english_skeleton(english) or similarity(arabic, english) >= threshold)


def romanize(arabic: str) -> str:
    """A rough letter-by-letter romanisation (``محمد باقري`` → ``Mhmd Baqry``): a placeholder
    spelling for a person to correct, never a house form."""
    words = []
    for word in arabic.split():
        prefix = ""
        if word.startswith(_AR_ARTICLE) and len(word) > 3:
            prefix, word = "al-", word[2:]
        word = normalize_arabic(word).text
        letters = [_ROMAN.get(ch, "") for ch in word]
        for k, ch in enumerate(word):  # و ي inside a word are most often the vowels u/o and i
            if k and ch in _LONG_VOWELS:
                letters[k] = _LONG_VOWELS[ch]
        latin = "".join(letters).strip("'")
        if latin:
            words.append(prefix + latin[:1].upper() + latin[1:])
    return " ".join(words)
