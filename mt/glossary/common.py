"""Common Arabic words: what a glossary entry should not be mistaken for, and what ``suggest`` never proposes.

Two sources, both matched on ``form_key`` (normalised) words, with and without the article ``ال``:

* ``BUILT_IN``, a small hand-written list shipped here: function words, news verbs, titles and
  heads (the cues of :mod:`.cues`), months and days, common news nouns and adjectives, and the
  Arabic given names and surnames that are also everyday words (ظريف "witty", الأسد "the lion",
  أمل "hope", بري "land").  No permissively licensed PyPI package ships such a list with its
  data (``arabic-stopwords`` and ``pyarabic`` are GPL; ``camel-tools`` downloads its data), so
  the project keeps its own.
* a user's word list (``--dictionary FILE``): one word a line, or ``arabic<TAB>english glosses``
  lines in the FreeDict layout of ``mt align --dictionary``.  A headword whose glosses are all a
  transliteration of it (سوريا → "Syria") is a name in the dictionary, not a common word.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FormatError
from ..text import read_text
from .entries import Entry, Problem, form_key
from .translit import spells

_ARTICLE = "\u0627\u0644"  # ال

# Function words: pronouns, prepositions, conjunctions, particles, demonstratives, relatives.
_FUNCTION = """
في من إلى الى على عن مع بين عند لدى حتى منذ خلال بعد قبل أمام وراء تحت فوق حول ضد دون نحو عبر
و أو ثم بل لكن لكنه لكنها إلا غير سوى أن إن أنه إنه أنها إنها أنهم لأن كأن ليس ليست لم لن لا ما
ماذا لماذا كيف أين متى هل قد لقد سوف كان كانت كانوا يكون تكون يكن أصبح أصبحت صار ظل بات مازال
هذا هذه ذلك تلك هؤلاء أولئك هنا هناك الذي التي الذين اللذين اللتين اللواتي اللاتي من ما
هو هي هم هن هما أنا نحن أنت أنتم إياه كل بعض أي جميع كلا كلتا أحد إحدى نفس ذات عدة عدد
إذا إذ حيث بينما عندما كما مثل أيضا فقط جدا حاليا أمس اليوم غدا الآن أكثر أقل أول آخر أخرى
يوم أيام شهر عام سنة أسبوع ساعة مرة نحو قرابة حوالي نحو تقريبا وفق وفقا بحسب حسب إثر جراء
به بها بهم له لها لهم منه منها منهم عليه عليها عليهم فيه فيها فيهم إليه إليها عنه عنها معه معها
"""

# News verbs and their common forms.
_VERBS = """
قال قالت يقول تقول أكد أكدت يؤكد أعلن أعلنت يعلن ذكر ذكرت يذكر أضاف أضافت يضيف أوضح أوضحت
أشار أشارت يشير أفاد أفادت نقل نقلت اعتبر اعتبرت رأى يرى دعا دعت يدعو طالب طالبت أجرى أجرت أجروا
التقى التقت بحث بحثت تناول زار زارت وصل وصلت غادر استقبل استهدف استهدفت شن شنت هاجم قتل قتلت قتلوا
أصيب أصيبوا تعرض تم يتم جرى وقع وقعت أدى يمكن يجب تسعى يسعى تتطلع يتطلع تقوده تقودها تشنه
"""

# Titles, heads and other cue words (kept in step with :mod:`.cues`), and words of office.
_TITLES = """
الرئيس رئيس وزير وزيرة الوزير نائب مساعد مستشار سفير السفير المتحدث متحدث باسم الناطق ناطق
الجنرال جنرال العميد عميد اللواء لواء العقيد عقيد الشيخ شيخ الأمير أمير الملك ملك الملكة
السيد السيدة الدكتور الزعيم زعيم القائد قائد رئيسة المرشد الإمام الأمين مدير المدير محافظ المحافظ
صحيفة وكالة حزب حركة منظمة شركة مجلس جمعية جماعة جبهة هيئة لجنة مؤسسة جامعة قناة إذاعة تلفزيون
مدينة بلدة قرية محافظة ولاية إقليم قاعدة مطار منطقة ميناء جزيرة نهر جبل عاصمة العاصمة حي شارع
"""

# Months and days.
_CALENDAR = """
يناير فبراير مارس أبريل أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر
كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت
"""

# Common news nouns and adjectives.
_NOUNS = """
الحكومة حكومة الوزارة وزارة الدولة دولة الحرب حرب الهجوم هجوم الضربة ضربة الصاروخ صاروخ الصاروخي الصواريخ
الجيش جيش القوات قوات المسؤول المسؤولين مسؤول مسؤولين المسؤولون الوضع الأوضاع أوضاع النزاع نزاع
الأزمة أزمة الاتفاق اتفاق المفاوضات مفاوضات المحادثات محادثات مباحثات الاجتماع اجتماع القمة قمة
الشعب شعب البلاد بلاد العالم المنطقة الأمن أمن السلام سلام السياسة سياسة النظام نظام المعارضة
التحالف تحالف الدعم دعم العلاقات علاقات علاقة العلاقة التعاون تعاون الاتصال اتصالات اتصال
العسكري العسكرية العسكريين الدبلوماسيين الدبلوماسي السياسي السياسية الخارجية الداخلية الدفاع الأمني
الأمنية الجوية الجوي البحرية القومي القومية الوطني الوطنية الدولي الدولية الأعلى العليا الكبير الكبرى
كبار كبير كبيرة الوثيق الحليف حليف الأميركي الأميركية الأمريكي الأمريكية الأميركيين الأمريكيين
مصدر مصادر تقرير تقارير بيان البيان تصريح تصريحات خبر أخبار صورة الصورة المصدر رسالة
السابق السابقة الأسبق الماضي الماضية المقبل المقبلة الحالي الحالية الجديد الجديدة واسع أوسع محتمل مباشرة حاول محاولة
الشؤون الأنباء مؤتمر إطار مقتل تعزيز مناطق منطقة ممثل جانب جنوب شمال شرق غرب قرب ريف وسط
الناس المدنيين المدنيون الأطفال النساء الرجال ضحايا قتلى جرحى عملية عمليات هجمات
"""

# Given names and surnames that are also everyday words: an entry with one of these as its
# Arabic form matches the word too (ظريف "witty" → "Zarif").
NAME_HOMOGRAPHS = {
    "ظريف": "witty", "الأسد": "the lion", "أسد": "lion", "أمل": "hope", "نبيل": "noble", "كريم": "generous",
    "جميل": "beautiful", "سعيد": "happy", "عادل": "just", "حسن": "good", "أمين": "secretary; trustworthy",
    "منصور": "victorious", "رشيد": "wise", "نصر": "victory", "فتح": "opening; conquest", "حماس": "enthusiasm",
    "بري": "land; wild", "صالح": "valid; good", "شريف": "honourable", "لطيف": "kind", "مبارك": "blessed",
    "عون": "aid", "الحريري": "silky", "نور": "light", "هادي": "calm", "سالم": "safe", "سلامة": "safety",
    "فرح": "joy", "زكي": "clever", "عزيز": "dear", "حميد": "praiseworthy", "مجيد": "glorious", "وحيد": "alone",
    "كامل": "complete", "شاكر": "thankful", "ناصر": "supporter", "فاضل": "virtuous", "باسل": "brave",
    "رضا": "consent", "جواد": "generous; horse", "خالد": "eternal", "أمير": "prince", "سلطان": "power; sultan",
    "ملك": "king", "حكيم": "wise", "حليم": "patient", "رحيم": "merciful", "وفاء": "loyalty", "هدى": "guidance",
    "منى": "wishes", "غني": "rich", "طاهر": "pure", "سلام": "peace", "حرب": "war", "خير": "good", "حق": "right",
    "عمر": "age; life", "علي": "high (and على 'on' after normalisation)",
}

BUILT_IN_SOURCE = "built-in list"


def _keys(words: str) -> frozenset[str]:
    return frozenset(form_key(word) for word in words.split())


STOP_WORDS: frozenset[str] = _keys(_FUNCTION + _VERBS + _TITLES + _CALENDAR + _NOUNS)
HOMOGRAPHS: frozenset[str] = frozenset(form_key(word) for word in NAME_HOMOGRAPHS)
BUILT_IN: frozenset[str] = STOP_WORDS | HOMOGRAPHS
BUILT_IN_GLOSSES: dict[str, str] = {form_key(word): gloss for word, gloss in NAME_HOMOGRAPHS.items()}


def _without_article(key: str) -> str:
    return key[len(_ARTICLE):] if key.startswith(_ARTICLE) and len(key) > len(_ARTICLE) + 2 else key  # الله is not ال + له


@dataclass(frozen=True)
class CommonWords:
    """A set of common Arabic words (``form_key`` keys), with a gloss where the source has one."""

    words: frozenset[str] = BUILT_IN
    glosses: dict[str, str] = field(default_factory=lambda: dict(BUILT_IN_GLOSSES), compare=False, hash=False)
    sources: tuple[str, ...] = (BUILT_IN_SOURCE,)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = form_key(word)
        return key in self.words or _without_article(key) in self.words

    def is_stop_word(self, word: str) -> bool:
        """A word of the built-in list that is never a name (a function word, a title, a month)."""
        key = form_key(word)
        return key in STOP_WORDS or _without_article(key) in STOP_WORDS

    def gloss(self, word: str) -> str:
        """What the common word means, where the source says (empty otherwise)."""
        key = form_key(word)
        return self.glosses.get(key) or self.glosses.get(_without_article(key), "")

    def with_words(self, words: Iterable[str], glosses: dict[str, str] | None = None, source: str = "") -> CommonWords:
        keys = {form_key(word) for word in words}
        merged = dict(self.glosses)
        merged.update({form_key(k): v for k, v in (glosses or {}).items()})
        return CommonWords(self.words | frozenset(keys), merged, self.sources + ((source,) if source else ()))

    def entry_homograph(self, entry: Entry) -> str | None:
        """The form of ``entry`` that is also a common word (a single word, not its English's
        transliteration), else None."""
        for form in entry.forms:
            if " " in form_key(form) or form not in self:
                continue
            gloss = self.gloss(form)
            if gloss and _names_only(gloss, form, entry.en):
                continue  # the dictionary knows it as this very name (سوريا → Syria)
            return form
        return None


_BUILT_IN_WORDS = CommonWords()


def _names_only(glosses: str, arabic: str, english: str = "") -> bool:
    """True when every gloss is a transliteration of ``arabic`` or the entry's English: a name."""
    parts = [g.strip() for g in glosses.split("|") if g.strip()]
    if not parts:
        return False
    for gloss in parts:
        if english and gloss.casefold() in (english.casefold(), *english.casefold().split()):
            continue
        if len(gloss.split()) == 1 and spells(arabic, gloss):
            continue
        return False
    return True


@functools.lru_cache(maxsize=4096)
def is_ambiguous(entry: Entry) -> bool:
    """Whether a match of ``entry`` may be a common word rather than the name, by the built-in
    list: what ``mt translate`` marks ``ambiguous`` in its JSON."""
    return _BUILT_IN_WORDS.entry_homograph(entry) is not None


HOMOGRAPH = "common-word"  # a Problem kind of ``mt glossary check`` (a warning: it never stops a load)


def find_homographs(entries: Iterable[Entry], common: CommonWords | None = None) -> list[Problem]:
    """Entries whose Arabic (a single-word form) is also a common word: their matches may be
    the word, not the name (ظريف "witty" → Zarif), and ``mt translate`` marks them ambiguous."""
    common = common if common is not None else CommonWords()
    problems = []
    for entry in entries:
        form = common.entry_homograph(entry)
        if form is None:
            continue
        gloss = common.gloss(form)
        meaning = f" ({gloss})" if gloss else ""
        marked = "mt translate marks its matches ambiguous" if is_ambiguous(entry) else "check each match"
        message = f"Arabic {form!r} of {entry.en!r} is also a common word{meaning}: a match may be the word; {marked}"
        problems.append(Problem(entry.line, HOMOGRAPH, message, entry))
    return problems


def load_common_words(path: Path | str | None = None, encoding: str = "utf-8", base: CommonWords | None = None) -> CommonWords:
    """The built-in list, plus the words of ``path`` when given (one word a line, or
    ``arabic<TAB>glosses`` lines; ``#`` starts a comment line).  A headword the file glosses
    only by its own transliteration (سوريا → Syria) is a name there, and left out."""
    base = base if base is not None else CommonWords()
    if path is None:
        return base
    text = read_text(path, encoding, hint=True)
    words: list[str] = []
    glosses: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, _, gloss = line.partition("\t")
        head = head.strip()
        if not head or " " in head or not any("\u0600" <= ch <= "\u06ff" for ch in head):
            continue
        if gloss.strip() and _names_only(gloss, head):
            continue
        words.append(head)
        if gloss.strip():
            glosses[head] = gloss.strip()
    if not words:
        raise FormatError(f"{path}: no Arabic words found (expected one word a line, or 'arabic<TAB>glosses' lines)")
    return base.with_words(words, glosses, str(path))
