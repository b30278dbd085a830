"""Train the small test model with real cross-attention (tests/data/trained-model/).

Random weights give flat attention and never write a name, so they cannot
show how enforcement behaves with a model that attends.  This trains a small
MarianMT on a monotonic task that needs real alignment: an Arabic sentence
rendered into English word by word.

* A word (after the proclitics و ف ب ل ك and the article, as the glossary
  matcher strips them, when what is left is a known name) found in a name
  table takes that table's English form, capitalised: روسيا → "Russia",
  بروسيا → "in Russia".  Clitics become words of their own: و "and",
  ف "so", ب "in", ل "for", ك "as".  A word frequent in the corpus is a
  name only when the English side of its sentences shows the name it parses
  to (``common_words``): إلى is not "Allie", nor كورونا "as and Rona".
* Every other word gets a deterministic letter-by-letter romanisation
  (``romanize``): الصحة → "alsht".

Each epoch trains on fresh sentences: the corpus's, the same with some
words swapped for names, and as many of words drawn at random
(``epoch_sentences``), so that the model learns the romanisation rather
than the sentences.  In 60 % of them the decoder's history holds, in place of
the renderings of a few words, words that stand in for them (another form
of the same name, the word's own rendering respelt, any name), never as
labels (``noisy_history``): the model learns to go on after a name spelt
otherwise than it would, as a translation model that has seen names spelt
many ways does.

Data, all CC0 or Apache-2.0 (see tests/data/trained-model/README.md):
TICO-19 (``../shared/data/tico19/all.en-ar.tmx``, CC0): its Arabic, and its
English only to tell names from common words; the names of Wikidata
(``wikidata-ar-en.tokens``, CC0) and of Google's ar2en (``google-ar2en.tsv``,
Apache-2.0).  The last 5 % of the TICO sentences are held out and never
trained on.

    python bench/train_test_model.py [--out tests/data/trained-model] [--minutes 18] [--threads 2]

It prints the held-out word accuracy and the attention figure (the share of
target words whose cross-attention, last decoder layer averaged over heads,
peaks on their own source word), on the held-out TICO sentences and on the
seed articles' sentences (never trained on), and writes them to the model's
``training.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from mt.dev.models import marian_model, write_vocabulary  # noqa: E402
from mt.text import normalize_text  # noqa: E402

TICO = SHARED / "tico19" / "all.en-ar.tmx"
WIKIDATA = SHARED / "names" / "wikidata-ar-en.tokens"
GOOGLE = SHARED / "names" / "google-ar2en.tsv"

# Proclitics as the glossary matcher strips them, and the English word each becomes.
CLITIC_WORDS = {"و": "and", "ف": "so", "ب": "in", "ل": "for", "ك": "as"}
ARTICLE = "ال"

_ROMAN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "", "ؤ": "u", "ئ": "i", "ب": "b", "ت": "t", "ث": "th",
    "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ة": "a", "و": "w", "ي": "y", "ى": "a", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g",
    "ک": "k", "ی": "y",
}
_DIGITS = {chr(0x0660 + d): str(d) for d in range(10)}
_MARKS = "%.,:;!?()-\"'"  # punctuation the romanisation keeps


def romanize(word: str) -> str:
    """Letter-by-letter romanisation; digits and Latin kept, other marks dropped."""
    out = []
    for ch in word:
        if ch in _ROMAN:
            out.append(_ROMAN[ch])
        elif ch in _DIGITS:
            out.append(_DIGITS[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch in _MARKS:
            out.append(ch)
    return "".join(out) or "x"


def common_words(pairs: list[tuple[str, str]], table: dict[str, str], min_count: int = 8) -> set[str]:
    """Names of ``table`` that words frequent in the corpus (``min_count``
    times or more) parse to (``_parse``: proclitics, the article, a name)
    without being that name there: إلى is not "Allie", nor كورونا "as and
    Rona".  A frequent word stays a name when the English side of at least
    half the sentences it is in has a word that begins with the name's
    English form: روسيا "Russia" ("Russia", "Russian") does, كورونا
    ("coronavirus") does not."""
    counts: dict[str, int] = {}
    shown: dict[str, int] = {}
    names: dict[str, str | None] = {}  # word → the name it parses to, parsed once
    for ar, en in pairs:
        english = en.lower()
        for key in {normalize_text(_strip_marks(word)[0]) for word in ar.split()}:
            counts[key] = counts.get(key, 0) + 1
            if key not in names:
                parsed = _parse(key, table)
                names[key] = parsed[1] if parsed else None
            name = names[key]
            if name and re.search(r"\b" + re.escape(table[name].lower()), english):
                shown[key] = shown.get(key, 0) + 1
    return {names[key] for key, count in counts.items() if names[key] and count >= min_count and 2 * shown.get(key, 0) < count}


def name_forms() -> dict[str, list[str]]:
    """Normalised Arabic name → its English forms (capitalised), likeliest
    first: Wikidata's by frequency, then Google's."""
    counts: dict[str, dict[str, int]] = {}
    for line in WIKIDATA.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0].isalpha():
            continue
        en, ar, count = parts[0].capitalize(), normalize_text(parts[1].replace(" ", "")), int(parts[2])
        if len(ar) > 2:
            forms = counts.setdefault(ar, {})
            forms[en] = forms.get(en, 0) + count
    table = {ar: sorted(forms, key=lambda en: (-forms[en], en)) for ar, forms in counts.items()}
    for line in GOOGLE.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[1].replace("-", "").isalpha():
            forms = table.setdefault(normalize_text(parts[0]), [])
            if parts[1].capitalize() not in forms:
                forms.append(parts[1].capitalize())
    return table


def load_names() -> dict[str, str]:
    """Normalised Arabic name → English (capitalised): its likeliest form."""
    return {ar: forms[0] for ar, forms in name_forms().items()}


def task_names() -> dict[str, str]:
    """The name table of the task as trained: the names common words of the
    corpus parse to left out, until no frequent word parses to a name its
    sentences do not show (once كورونا no longer parses to ك و رونا, it
    might parse to another name)."""
    table = load_names()
    pairs = parallel_sentences()
    while common := common_words(pairs, table):
        table = {ar: en for ar, en in table.items() if ar not in common}
    return table


def _parse(key: str, names: dict[str, str]) -> tuple[str, str] | None:
    """The proclitics and the name of a normalised word, as the glossary
    matcher strips them: up to two proclitics (وب ول فك …), then the name,
    bare or after the article; ``None`` when no name is left."""
    for k in range(0, 3):
        clitics, rest = key[:k], key[k:]
        if any(c not in CLITIC_WORDS for c in clitics) or len(rest) < 3:
            break
        stems = [rest]
        if rest.startswith(ARTICLE):
            stems.append(rest[len(ARTICLE) :])
        if clitics.endswith("ل") and rest.startswith("ل"):  # لل: the article's alef dropped after ل
            stems.append(rest[1:])
        for stem in stems:
            if stem in names:
                return clitics, stem
    return None


def render_word(word: str, names: dict[str, str]) -> list[str]:
    """The English words of one Arabic word (see the module docstring).
    Punctuation around a name stays around its English: "(سوريا)." →
    "(Syria).", as a translation writes it."""
    core, lead, trail = _strip_marks(word)
    parsed = _parse(normalize_text(core), names)
    if parsed is None:
        return [romanize(word)]
    clitics, stem = parsed
    english = [CLITIC_WORDS[c] for c in clitics] + [names[stem]]
    english[0] = lead + english[0]
    english[-1] += trail
    return english


def _strip_marks(word: str) -> tuple[str, str, str]:
    """``word`` without the punctuation before and after it, and that
    punctuation as romanised (``romanize`` keeps some marks, drops others)."""
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    def marks(part: str) -> str:
        return "".join(ch for ch in part if ch in _MARKS)

    return word[start:end], marks(word[:start]), marks(word[end:])


def render(sentence: str, names: dict[str, str]) -> tuple[str, list[int]]:
    """The English of a sentence and, per English word, the index of its Arabic word."""
    words, owner = [], []
    for i, word in enumerate(sentence.split()):
        for en in render_word(word, names):
            words.append(en)
            owner.append(i)
    return " ".join(words), owner


def parallel_sentences() -> list[tuple[str, str]]:
    """TICO-19's (Arabic, English) sentence pairs, Arabic of 3 to 40 words.
    The English only decides which frequent words are names (``common_words``)."""
    from lxml import etree

    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    out = []
    for tu in etree.parse(str(TICO)).iter("tu"):
        sides = {}
        for tuv in tu.iter("tuv"):
            sides[tuv.get(xml_lang, "").lower()[:2]] = " ".join("".join(tuv.find("seg").itertext()).split())
        text = sides.get("ar", "")
        if 3 <= len(text.split()) <= 40:
            out.append((text, sides.get("en", "")))
    return out


def arabic_sentences() -> list[str]:
    return [ar for ar, _ in parallel_sentences()]


# Each epoch trains on fresh sentences (``epoch_sentences``): the TICO
# sentences as they are, the same with some words swapped for names of the
# tables, and as many of words drawn at random.  The task is word by word, so
# any run of words is one of its sentences, and new ones every epoch teach the
# romanisation letter by letter instead of memorised sentences.
NAME_SWAP = 0.15  # share of words swapped for a name
# A name as it comes in a sentence: bare, or after proclitics and the article
# (the forms the matcher strips and ``render_word`` renders).
NAME_PREFIXES = ("",) * 6 + ("و", "ب", "ل", "ال", "وال", "بال", "لل", "وب")
# The share of sentences whose decoder history holds, in place of the
# renderings of a few words, other words that stand in for them: those
# pieces are never labels, but the words after them are.  A user's glossary
# puts its own spelling of a name where the model wrote another ("Soleimani"
# for "Suleimani"), or a name the model does not know where it wrote its
# romanisation ("Revolutionary Guards" for "alhrs althwry"), mostly one
# English word for each Arabic word.  A real translation model has seen names
# spelt many ways and goes on after any of them with the next word; this
# teaches the small model the same (``noisy_history``).
NOISE = 0.6
# How many runs of words stand in for others in such a sentence, and how
# many Arabic words each run covers: weights of 1, 2, 3.
STAND_IN_RUNS = (6, 3, 1)
STAND_IN_WORDS = (6, 3, 1)
# The share of runs with one English word more or fewer than the Arabic
# words they cover ("Mediterranean" for "albhr alabyd almtwst").
MISCOUNT = 0.15
# How a word's stand-in is drawn: another form of the same name in the
# tables, the word's own rendering respelt (``respell``), any name.
STAND_IN_KINDS = (("form", 4), ("respelt", 3), ("name", 3))


def name_word(keys: list[str], rng: random.Random) -> str:
    return rng.choice(NAME_PREFIXES) + rng.choice(keys)


def epoch_sentences(sentences: list[str], words: list[str], keys: list[str], rng: random.Random) -> list[str]:
    """One epoch's Arabic sentences (see ``NAME_SWAP``)."""
    out = list(sentences)
    for sentence in sentences:
        out.append(" ".join(name_word(keys, rng) if rng.random() < NAME_SWAP else w for w in sentence.split()))
    for _ in sentences:
        n = rng.randint(3, 30)
        out.append(" ".join(name_word(keys, rng) if rng.random() < NAME_SWAP else rng.choice(words) for _ in range(n)))
    return out


def respell(word: str, rng: random.Random) -> str:
    """``word`` spelt otherwise, capitalised as a name: a vowel changed,
    doubled or dropped, or a letter doubled ("Suleimani" → "Soleimani")."""
    vowels = [i for i, ch in enumerate(word) if ch in "aeiouy"]
    chars = list(word)
    if vowels and rng.random() < 0.6:
        i = rng.choice(vowels)
        chars[i] = rng.choice([v for v in "aeiouy" if v != chars[i].lower()] + [chars[i] * 2, ""])
    elif chars:
        i = rng.randrange(len(chars))
        chars[i] *= 2
    out = "".join(chars) or word
    return out[:1].upper() + out[1:]


def noisy_history(groups: list[list[str]], stand_in, rng: random.Random) -> list[tuple[str, int, int]]:
    """The English words of a sentence (``groups``: per Arabic word), each as
    (text, start, end): the characters ``text[start:end]`` stand in for the
    word's rendering and are noise, never labels (``end == 0`` for none).

    With probability ``NOISE``, one to three runs of one to three Arabic
    words (``STAND_IN_RUNS``, ``STAND_IN_WORDS``) have their rendering —
    from the last English word of the run's first Arabic word, so that a
    clitic's "and" stays — replaced by as many stand-ins
    (``stand_in(english_word)``), one more or fewer with ``MISCOUNT``.  The
    punctuation before the run and after it stays, and is a label; what
    stood between its words goes with them."""
    words = [[(w, 0, 0) for w in group] for group in groups]
    if rng.random() < NOISE and groups:
        taken = [False] * len(groups)
        for _ in range(rng.choices((1, 2, 3), STAND_IN_RUNS)[0]):
            i = rng.randrange(len(groups))
            k = min(rng.choices((1, 2, 3), STAND_IN_WORDS)[0], len(groups) - i)
            if any(taken[i : i + k]) or not groups[i]:
                continue
            taken[i : i + k] = [True] * k
            covered = [groups[i][-1]] + [w for g in groups[i + 1 : i + k] for w in g]
            lead, _, _ = _split_word(covered[0])
            _, _, trail = _split_word(covered[-1])
            count = k if rng.random() >= MISCOUNT else max(1, k + rng.choice((-1, 1)))
            owners = [groups[i + min(j, k - 1)][-1] for j in range(count)]
            noise = [stand_in(_split_word(w)[1]) for w in owners]
            texts = [lead * (j == 0) + w + trail * (j == count - 1) for j, w in enumerate(noise)]
            starts = [len(lead) * (j == 0) for j in range(count)]
            words[i] = words[i][:-1] + [(t, a, a + len(w)) for t, a, w in zip(texts, starts, noise)]
            for j in range(i + 1, i + k):
                words[j] = []
    return [w for group in words for w in group]


def _split_word(word: str) -> tuple[str, str, str]:
    """An English word as (marks before, letters, marks after)."""
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return word[:start], word[start:end], word[end:]


def make_pairs(sentences: list[str], names: dict[str, str], forms: dict[str, list[str]], sp, vocab: dict[str, int], rng: random.Random, cache: dict):
    """(source ids, target ids, target mask) for ``sentences``."""
    eos = vocab["</s>"]
    english = cache.setdefault("", sorted(set(names.values())))
    others = cache.setdefault(" forms", {names[ar]: [f for f in forms.get(ar, []) if f != names[ar]] for ar in names})

    def stand_in(word: str) -> str:
        kind = rng.choices([k for k, _ in STAND_IN_KINDS], [w for _, w in STAND_IN_KINDS])[0]
        if kind == "form" and others.get(word):
            return rng.choice(others[word])
        if kind in ("form", "respelt") and word:
            return respell(word, rng)
        return rng.choice(english)

    def pieces(text: str, start: int, end: int) -> tuple[list[int], list[bool]]:
        """The ids of ``text`` and, per piece, whether it holds a character of ``text[start:end]``."""
        key = (text, start, end)
        if key not in cache:
            ids, mask, pos = [], [], 0
            for piece in sp.encode(text, out_type=str):
                n = len(piece.lstrip("\u2581"))
                ids.append(vocab.get(piece, 1))
                mask.append(start < end and pos < end and pos + n > start)
                pos += n
            cache[key] = (ids, mask)
        return cache[key]

    pairs = []
    for ar in sentences:
        groups = [render_word(w, names) for w in ar.split()]
        src = [vocab.get(p, 1) for p in sp.encode(ar, out_type=str)] + [eos]
        tgt, mask = [], []
        for text, start, end in noisy_history(groups, stand_in, rng):
            ids, noise = pieces(text, start, end)
            tgt += ids
            mask += noise
        if len(src) <= 120 and len(tgt) < 200:
            pairs.append((src, tgt + [eos], mask + [False]))
    return pairs


def _batches(pairs, max_tokens: int, rng: random.Random):
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + rng.random())
    batches, batch, longest = [], [], 0
    for i in order:
        longest_new = max(longest, len(pairs[i][0]), len(pairs[i][1]))
        if batch and longest_new * (len(batch) + 1) > max_tokens:
            batches.append(batch)
            batch, longest_new = [], max(len(pairs[i][0]), len(pairs[i][1]))
        batch.append(i)
        longest = longest_new
    if batch:
        batches.append(batch)
    rng.shuffle(batches)
    return batches


def _tensors(torch, rows, pad: int):
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
    return ids


def _zero_start_embedding(model, pad: int) -> None:
    """Keep the embedding of ``<pad>``, the decoder's start token, at zero, as
    in Marian's own models.  CTranslate2 starts the decoder from a zero
    embedding, so a model whose start embedding learnt something (the output
    layer shares the embeddings, so it does unless held at zero) would
    translate differently once converted."""
    import torch

    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()


def train(model, epoch_pairs, pad: int, *, minutes: float, max_tokens: int, lr: float, seed: int) -> dict:
    """Train for ``minutes``; ``epoch_pairs(rng)`` gives each epoch's
    (source ids, target ids, target mask) triples: pieces whose mask is set
    are in the decoder's history but never a label (``noisy_history``)."""
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=0.01)
    _zero_start_embedding(model, pad)
    warmup, step, epoch = 300, 0, 0
    deadline = time.monotonic() + minutes * 60
    losses = []
    while time.monotonic() < deadline:
        epoch += 1
        pairs = epoch_pairs(rng)
        for batch in _batches(pairs, max_tokens, rng):
            if time.monotonic() >= deadline:
                break
            src = _tensors(torch, [pairs[i][0] for i in batch], pad)
            target = _tensors(torch, [pairs[i][1] for i in batch], pad)
            masked = _tensors(torch, [pairs[i][2] for i in batch], 1).bool()
            history = torch.cat([torch.full_like(target[:, :1], pad), target[:, :-1]], dim=1)
            labels = target.masked_fill(masked | (target == pad), -100)
            out = model(input_ids=src, attention_mask=(src != pad).long(), decoder_input_ids=history, labels=labels)
            step += 1
            for group in optimiser.param_groups:
                group["lr"] = lr * min(1.0, step / warmup) * min(1.0, math.sqrt(warmup / step))
            optimiser.zero_grad()
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            _zero_start_embedding(model, pad)
            losses.append(out.loss.item())
            if step % 100 == 0:
                print(f"epoch {epoch} step {step} loss {sum(losses[-100:]) / 100:.3f}", flush=True)
    model.eval()
    return {"epochs": epoch, "steps": step, "final_loss": round(sum(losses[-100:]) / max(1, len(losses[-100:])), 3)}


def evaluate(model_dir: Path, held_out: list[str], names: dict[str, str]) -> dict:
    """Held-out word accuracy (greedy, transformers) and the attention figure."""
    from mt.translate import load_backend

    backend = load_backend(str(model_dir), "transformers")
    vocab = backend.vocab
    correct = total = peaked = words = 0
    for start in range(0, len(held_out), 16):
        batch = held_out[start : start + 16]
        encoded = [vocab.encode_source(s) for s in batch]
        longest = max(len(e.pieces) for e in encoded)
        hyps = backend.translate([e.pieces for e in encoded], beam=1, max_length=min(500, 3 * longest + 10))
        references = [render(s, names) for s in batch]
        targets = [vocab.encode_target(ref) for ref, _ in references]
        # Attention on the reference (teacher forced): does each English word
        # attend most to its own Arabic word?
        attention = backend._attention(*backend._encode([e.pieces for e in encoded]), targets)
        for sentence, enc, hyp, (reference, owner), target, rows in zip(batch, encoded, hyps, references, targets, attention):
            out_words = vocab.decode_target(hyp.pieces).split()
            ref_words = reference.split()
            total += len(ref_words)
            correct += sum(a == b for a, b in zip(out_words, ref_words))
            src_word = _piece_words(sentence, enc.spans)
            tgt_word = _target_words(target)
            for w in range(len(ref_words)):
                members = [t for t, k in enumerate(tgt_word) if k == w]
                if not members:
                    continue
                mass = [sum(rows[t][s] for t in members) for s in range(len(rows[0]))]
                best = max(range(len(mass)), key=mass.__getitem__)
                words += 1
                peaked += src_word[best] == owner[w]
    return {
        "held_out_sentences": len(held_out),
        "word_accuracy": round(correct / max(1, total), 4),
        "attention_on_own_word": round(peaked / max(1, words), 4),
    }


def _piece_words(sentence: str, spans) -> list[int]:
    """The index of the Arabic word each source piece belongs to (-1 for none)."""
    starts, pos = [], 0
    for word in sentence.split():
        pos = sentence.index(word, pos)
        starts.append((pos, pos + len(word)))
        pos += len(word)
    out = []
    for a, b in spans:
        out.append(next((i for i, (x, y) in enumerate(starts) if a < y and b > x), -1))
    return out + [-1]  # the source's </s>


def _target_words(pieces) -> list[int]:
    out, w = [], -1
    for piece in pieces:
        if piece.startswith("\u2581") or w < 0:
            w += 1
        out.append(w)
    return out


def _continued(init: Path, out: Path):
    """The model at ``init`` and its vocabulary, copied into ``out`` (unless
    it is ``out``) to go on training."""
    import shutil

    from transformers import MarianMTModel

    if init.resolve() != out.resolve():
        for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json"):
            if (init / name).is_file():
                shutil.copy(init / name, out / name)
    vocab = json.loads((out / "vocab.json").read_text(encoding="utf-8"))
    model = MarianMTModel.from_pretrained(init)
    return model, vocab


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "trained-model")
    parser.add_argument("--minutes", type=float, default=18.0, help="training time")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--vocab-size", type=int, default=2000)
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=3000)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=3, help="seed 3 made the model in tests/data/trained-model")
    parser.add_argument(
        "--init", type=Path, default=None,
        help="go on training this model (its vocabulary and weights) instead of starting from random weights",
    )
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    sentences = arabic_sentences()
    forms = name_forms()
    names = task_names()
    cut = int(len(sentences) * 0.95)
    train_sentences, held_out = sentences[:cut], sentences[cut:]
    rendered = [render(s, names)[0] for s in train_sentences]
    keys = sorted(names)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.init is not None:
        model, vocab = _continued(args.init, out)
    else:
        sample = random.Random(args.seed).sample(keys, min(len(keys), 20000))
        name_lines = [" ".join(sample[i : i + 10]) for i in range(0, len(sample), 10)]
        name_lines += [" ".join(names[k] for k in sample[i : i + 10]) for i in range(0, len(sample), 10)]
        vocab = write_vocabulary(out, train_sentences + rendered + name_lines, args.vocab_size, max_piece_length=8)
        model = marian_model(
            vocab, d_model=args.d_model, layers=args.layers, heads=4, ffn=2 * args.d_model, max_positions=512, seed=args.seed
        )
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(out / "source.spm"))
    words = [w for sentence in train_sentences for w in sentence.split()]
    cache: dict = {}

    def epoch_pairs(rng: random.Random):
        return make_pairs(epoch_sentences(train_sentences, words, keys, rng), names, forms, sp, vocab, rng, cache)

    params = sum(p.numel() for p in model.parameters())
    print(
        f"{len(train_sentences)} training sentences (three sentences from each, each epoch), {len(held_out)} held out, {len(names)} names, "
        f"{params:,} parameters",
        flush=True,
    )
    started = time.monotonic()
    run = train(model, epoch_pairs, vocab["<pad>"], minutes=args.minutes, max_tokens=args.max_tokens, lr=args.lr, seed=args.seed)
    run["minutes"] = round((time.monotonic() - started) / 60, 1)
    model.save_pretrained(out)
    figures = evaluate(out, held_out, names)
    from translate_speed import seed_segments

    on_seeds = evaluate(out, seed_segments(), names)
    seeds = {"seed_sentences": on_seeds.pop("held_out_sentences"), **{f"seed_{k}": v for k, v in on_seeds.items()}}
    figures.update(seeds, names=len(names))
    report = {"parameters": params, **run, **figures, "threads": args.threads}
    print(json.dumps(report, indent=1))
    (out / "training.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
