"""Context cues that a word run in Arabic news is a name, and of which type.

Kept as data: a title before a person (الرئيس، وزير، الجنرال …), the head of an
organisation's name (صحيفة، وكالة، حزب …) or of a place's (مدينة، بلدة، قاعدة …),
each as its ``form_key``.  A nisba adjective (السوري، الإيرانية) beside a run is a cue
too, without a type.
"""

from __future__ import annotations

import re

from .entries import form_key

PER, ORG, LOC, MISC = "PER", "ORG", "LOC", "MISC"

_TITLES = """
الرئيس رئيس رئيسة وزير وزيرة الوزير نائب مستشار مساعد سفير السفير الجنرال جنرال العميد اللواء العقيد
المقدم الفريق الشيخ الأمير الملك الملكة السيد السيدة الدكتور الزعيم القائد المرشد الإمام المتحدث الناطق
المبعوث مبعوث النائب الأمين المدير مدير المحافظ محافظ المستشار المتحدثة الناطقة المرشح المرشحة
"""
_ORG_HEADS = """
صحيفة وكالة حزب حركة منظمة شركة مجلس جماعة جبهة هيئة قناة إذاعة تلفزيون جمعية مؤسسة جامعة فيلق
"""
# Heads that are part of the name itself (حزب الله, جبهة النصرة, فيلق القدس), not a description of it.
_NAME_HEADS = """
حزب حركة جبهة فيلق جماعة
"""
# Words a title is never separated from its name by (السفير الروسي في طهران).
_BREAKS = """
في من إلى الى على عن مع عند لدى حول ضد منذ بين خلال بعد قبل و أو
"""
_LOC_HEADS = """
مدينة بلدة قرية محافظة ولاية إقليم قاعدة مطار منطقة ميناء جزيرة مخيم حي
"""
# Given names that start a person's name (a cue of their own: محمد باقري).
_GIVEN_NAMES = """
محمد أحمد علي حسن حسين عبد محمود مصطفى خالد عمر يوسف إبراهيم إسماعيل جواد مجيد سعد سعيد فاليري
نيكولاي سيرغي سيرجي فلاديمير دونالد جون جورج ماريا ميخائيل
"""


def _keys(words: str) -> frozenset[str]:
    return frozenset(form_key(word) for word in words.split())


TITLES = _keys(_TITLES)
HEADS = {**dict.fromkeys(_keys(_TITLES), PER), **dict.fromkeys(_keys(_ORG_HEADS), ORG), **dict.fromkeys(_keys(_LOC_HEADS), LOC)}
GIVEN_NAMES = _keys(_GIVEN_NAMES)
NAME_HEADS = _keys(_NAME_HEADS)
BREAKS = _keys(_BREAKS)

_NISBA = re.compile("^\u0627\u0644.{2,}(?:\u064a|\u064a\u0647|\u064a\u0648\u0646|\u064a\u064a\u0646)$")  # ال…ي ال…ية ال…يون ال…يين


def cue_type(key: str) -> str | None:
    """PER, ORG or LOC when the normalised word ``key`` is a title or a head, else None."""
    return HEADS.get(key)


def is_nisba(key: str) -> bool:
    """A normalised word shaped like a definite nisba adjective (السوري، الإيرانيه، الروس is not)."""
    return bool(_NISBA.match(key))
