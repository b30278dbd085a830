"""End to end: the review page in a real headless Chromium, driven by Playwright.

Skipped unless /usr/bin/chromium (Debian's ``chromium``) and Playwright's
Python package are installed; ``.ci/run`` installs both.  No browser is
downloaded: Playwright drives the system Chromium.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mt.formats import pair_to_dict, read_json, write_json
from mt.review.server import ReviewServer
from mt.text import read_text, split_sentences
from mt.types import Pair, PairDocument, TermHit

from ..conftest import HOUSE, ROOT, SEEDS

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = ROOT / "docs" / "review.png"
SEED = "000_9f4e6ed923b12d3a"

# Hand-written English for the seed article's segments, with the kinds of
# faults review is for: Arabic left in the English (7), a term left out (8),
# a sentence cut short (12).
ENGLISH = [
    "Iran seeks to strengthen its ties with Russia after the US strike",
    "Iranian secretary of the Supreme National Security Council, Ali Shamkhani (L) speaks to reporters "
    "at the Damascus airport on September 30, 2014.",
    "AFP PHOTO/ STR",
    "Ali Shamkhani is one of the senior Iranian officials who on Saturday held talks with Russian officials "
    "about the situation in Syria (Getty)",
    "An American newspaper reported that Iran is looking to strengthen the Russian-led alliance backing "
    "Syrian President Bashar al-Assad, ahead of any wider involvement by the United States in the raging "
    "war in Syria.",
    "The Wall Street Journal said that several Iranian military officials and diplomats held talks on "
    "Saturday with their Russian counterparts about the conflict in Syria, after the US missile strike "
    "that on Friday targeted the Shayrat air base near the city of Homs.",
    "That strike was the first attack launched directly by the United States on the regime of President "
    "Bashar al-Assad, Iran's close ally in the region, since the Syrian war broke out, in a show of "
    "military force under President Donald Trump.",
    "Yet the Syrian regime appeared defiant: its warplanes kept taking off from the Shayrat air base after "
    "quick repairs, and on Saturday Syrian aircraft, or aircraft allied with Assad, bombed the town of "
    "خان شيخون in Idlib, which had been hit by a toxic gas attack last Tuesday.",
    "The Wall Street Journal said that General Mohammad Bagheri, chief of staff of the Iranian armed "
    "forces, spoke by telephone on Saturday with his Russian counterpart; the two called the US missile "
    'strike a violation of Syrian sovereignty and a gift to "terrorist" groups.',
    'The two sides agreed to "continue and intensify" the fight against terrorism in Syria, and pledged '
    'to press on with their cooperation "until the terrorists and those who support them are defeated".',
    "The newspaper added that besides the phone call between Bagheri and Gerasimov, at least two senior "
    "Iranian officials consulted their Russian counterparts on the civil war in Syria.",
    "The American newspaper said that Russia's involvement, with its army and modern weapons, matters to "
    "Tehran, which wants Assad to stay in power so as to extend Iran's sphere of influence from Iraq and "
    "Syria to Lebanon",
    "Moscow seems less committed to Assad.",
    "Iranian press reports said that the secretary of Iran's Supreme National Security Council, Ali "
    "Shamkhani, also phoned the secretary of Russia's Security Council, Nikolai Patrushev, on Saturday to "
    "discuss closer cooperation on Syria. Meanwhile, Hossein Amir-Abdollahian, special assistant to the "
    "speaker of Iran's Shura Council, met the Russian ambassador in Tehran.",
    "Source: The Wall Street Journal",
]
# A small glossary: Arabic as written → (English, what the translator made of it).
TERMS = {
    "علي شمخاني": ("Ali Shamkhani", "produced"),
    "بشار الأسد": ("Bashar al-Assad", "forced"),
    "وول ستريت جورنال": ("Wall Street Journal", "produced"),
    "الشعيرات": ("Shayrat", "forced"),
    "حمص": ("Homs", "produced"),
    "دونالد ترمب": ("Donald Trump", "forced"),
    "خان شيخون": ("Khan Shaykhun", "missing"),
    "إدلب": ("Idlib", "produced"),
    "محمد باقري": ("Mohammad Bagheri", "produced"),
    "فاليري غراسيموف": ("Valery Gerasimov", "missing"),
    "نيكولاي باتروشيف": ("Nikolai Patrushev", "produced"),
}


def _terms(text: str, offset: int) -> tuple[TermHit, ...]:
    hits = []
    for arabic, (english, status) in TERMS.items():
        start = text.find(arabic)
        while start >= 0:
            hits.append(TermHit(arabic, offset + start, offset + start + len(arabic), english, arabic, status))
            start = text.find(arabic, start + 1)
    return tuple(sorted(hits, key=lambda t: t.start))


def translate_seed(directory: Path) -> Path:
    """A pairs JSON in ``mt translate``'s shape for the seed article, with
    hand-written English that shows the faults review is for (Arabic left in
    the English, a term missing, a sentence cut short) and reads well in the
    screenshot; random-weight models cannot produce such English.  The same
    flow on real ``mt translate`` output is ``test_review_of_mt_translate_output``.
    """
    article = SEEDS / f"{SEED}.txt"
    segments = split_sentences(read_text(article), SEED)
    assert len(segments) == len(ENGLISH)
    pairs = tuple(
        Pair(
            id=str(seg.index),
            source=seg.text,
            target=english,
            source_start=seg.start,
            source_end=seg.end,
            terms=_terms(seg.text, seg.start),
            source_ids=(seg.index,),
            target_ids=(seg.index,),
        )
        for seg, english in zip(segments, ENGLISH)
    )
    meta = {
        "doc": SEED,
        "source_file": str(article),
        "kind": "translation",
        "model": "test fixture (hand-written English)",
        "backend": "transformers",
        "options": {"beam": 4},
        "glossary": None,
        "signature": "fixture",
        "stats": {"segments": len(pairs)},
    }
    path = directory / f"{SEED}.json"
    write_json(PairDocument(meta=meta, pairs=pairs), path)
    return path


XSS_ID = "<b>xss</b>"
XSS_SOURCE = '<script>window.__pwned = 1; alert(1)</script> قال المتحدث <img src=x onerror="window.__pwned=2">'
XSS_TARGET = '<img src=x onerror="window.__pwned=3;alert(3)"> the spokesman said <script>window.__pwned=4</script>'


@pytest.fixture()
def review_file(tmp_path) -> Path:
    """The translated seed article, plus one pair whose text and id are HTML."""
    path = translate_seed(tmp_path)
    document = read_json(path)
    xss = Pair(id=XSS_ID, source=XSS_SOURCE, target=XSS_TARGET)
    write_json(replace(document, pairs=document.pairs + (xss,)), path)
    return path


@pytest.fixture()
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class Page:
    """The review page in a browser tab, with the events a test checks."""

    def __init__(self, browser, url: str):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda err: self.errors.append(f"page error: {err}"))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.goto(url)
        self.wait_version()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def version(self) -> int:
        return int(self.page.get_attribute("body", "data-version"))

    def wait_version(self, version: int | None = None) -> None:
        if version is None:
            self.page.wait_for_selector("body[data-version]")
        else:
            self.page.wait_for_selector(f'body[data-version="{version}"]')

    def row(self, pair_id: str):
        return self.page.locator(f'.pair[data-id="{pair_id}"]')

    def press(self, key: str) -> None:
        """Press a key that saves an action, and wait for the new version."""
        before = self.version()
        self.page.keyboard.press(key)
        self.wait_version(before + 1)

    def go_to(self, pair_id: str) -> None:
        """Reach a pair with j/k only, as a reviewer would."""
        ids = self.page.eval_on_selector_all(".pair", "rows => rows.map(r => r.dataset.id)")
        for _ in range(len(ids)):
            current = self.page.get_attribute(".pair.current", "data-id")
            if current == pair_id:
                return
            self.page.keyboard.press("j" if ids.index(current) < ids.index(pair_id) else "k")
        raise AssertionError(f"could not reach pair {pair_id}")


def _pairs(path: Path) -> dict[str, Pair]:
    return {p.id: p for p in read_json(path).pairs}


def test_review_page_end_to_end(browser, review_file):
    original = read_json(review_file)
    ids = [p.id for p in original.pairs]
    with ReviewServer(review_file) as server:
        tab = Page(browser, server.url)
        page = tab.page
        assert page.locator(".pair").count() == len(ids)
        assert page.locator(".pair .side.ar").first.evaluate("el => getComputedStyle(el).direction") == "rtl"
        assert page.get_attribute(".pair .side.en", "dir") == "ltr"
        assert "j/k move" in page.inner_text(".keys").replace(" / ", "/").replace("\n", " ")

        # approve the first pair with "a"
        assert page.get_attribute(".pair.current", "data-id") == ids[0]
        tab.press("a")
        assert _pairs(review_file)[ids[0]].status == "approved"

        # merge the caption with its photo credit ("m" merges with the next pair)
        tab.go_to(ids[1])
        tab.press("m")
        merged = _pairs(review_file)[f"{ids[1]}+{ids[2]}"]
        assert merged.target == f"{original.pairs[1].target} {original.pairs[2].target}"
        assert merged.source_start == original.pairs[1].source_start
        assert merged.source_end == original.pairs[2].source_end

        # fix the English of a flagged pair: "e", type, Ctrl+Enter
        tab.go_to(ids[7])
        page.keyboard.press("e")
        area = tab.row(ids[7]).locator('textarea[data-side="target"]')
        fixed = original.pairs[7].target.replace("خان شيخون", "Khan Shaykhun")
        area.fill(fixed)
        tab.press("Control+Enter")
        edited = _pairs(review_file)[ids[7]]
        assert edited.target == fixed
        assert edited.original_target == original.pairs[7].target
        assert edited.history[-1].action == "edit_target"
        assert tab.row(ids[7]).locator(".flags").count() == 0

        # split a long pair at the cursor on each side
        long_pair = original.pairs[13]
        tab.go_to(long_pair.id)
        page.keyboard.press("e")
        row = tab.row(long_pair.id)
        ar_cut = long_pair.source.index("والتقى")
        en_cut = long_pair.target.index("Meanwhile")
        row.locator('textarea[data-side="source"]').evaluate("(el, n) => { el.focus(); el.setSelectionRange(n, n); }", ar_cut)
        row.locator('textarea[data-side="target"]').evaluate("(el, n) => { el.focus(); el.setSelectionRange(n, n); }", en_cut)
        before = tab.version()
        row.get_by_role("button", name="Split this pair").click()
        tab.wait_version(before + 1)
        saved = _pairs(review_file)
        first, second = saved[f"{long_pair.id}.1"], saved[f"{long_pair.id}.2"]
        assert first.source == long_pair.source[:ar_cut].strip() and second.source.startswith("والتقى")
        assert first.target.endswith("on Syria.") and second.target.startswith("Meanwhile")
        assert long_pair.id not in saved

        # approve another pair, reject one with "r"
        tab.go_to(ids[6])
        tab.press("a")
        assert _pairs(review_file)[ids[6]].status == "approved"
        tab.go_to(ids[9])
        tab.press("r")
        assert _pairs(review_file)[ids[9]].status == "rejected"

        # merge two more, then undo it with "u": both come back exactly as they were
        before_merge = read_json(review_file).pairs
        tab.go_to(ids[10])
        tab.press("m")
        assert f"{ids[10]}+{ids[11]}" in _pairs(review_file)
        tab.press("u")
        assert read_json(review_file).pairs == before_merge

        # reload: the page shows what the file holds
        page.reload()
        tab.wait_version()
        assert "approved" in tab.row(ids[0]).get_attribute("class")
        assert "rejected" in tab.row(ids[9]).get_attribute("class")
        assert tab.row(f"{ids[1]}+{ids[2]}").count() == 1
        assert tab.row(ids[7]).locator(".side.en .text").inner_text() == fixed
        assert original.pairs[7].target in tab.row(ids[7]).locator(".side.en .machine").inner_text()
        assert tab.row(ids[7]).locator(".side.en mark.term-added").inner_text() == "Khan Shaykhun"
        assert tab.row(f"{long_pair.id}.1").count() == 1 and tab.row(f"{long_pair.id}.2").count() == 1
        assert tab.row(ids[10]).count() == 1 and tab.row(ids[11]).count() == 1
        counts = page.inner_text("#counts")
        assert "2 approved" in counts and "1 rejected" in counts and "1 edited" in counts

        # flags and term highlights come from the server
        assert "Valery Gerasimov" in tab.row(ids[8]).locator(".flag-missing-term").inner_text()
        assert tab.row(ids[8]).locator(".side.ar mark.term-missing").inner_text() == "فاليري غراسيموف"
        assert "shorter than usual" in tab.row(ids[12]).locator(".flag-length-ratio").inner_text()
        assert tab.row(ids[4]).locator(".side.ar mark.term-forced").inner_text() == "بشار الأسد"
        assert tab.row(ids[4]).locator(".side.en mark.term-forced").inner_text() == "Bashar al-Assad"

        # the filter shows only flagged pairs, then only unreviewed ones
        page.get_by_role("button", name="Flagged").click()
        flagged = page.eval_on_selector_all(".pair", "rows => rows.map(r => r.dataset.id)")
        assert flagged == [ids[8], ids[12], XSS_ID]  # the XSS pair: its numbers differ (1, 2 against 3, 4)
        page.get_by_role("button", name="Unreviewed").click()
        unreviewed = page.eval_on_selector_all(".pair", "rows => rows.map(r => r.dataset.id)")
        assert ids[0] not in unreviewed and ids[9] not in unreviewed and ids[4] in unreviewed
        page.get_by_role("button", name="All").click()

        # screenshot for the docs: rejected, approved, edited and flagged pairs, the flagged one selected
        tab.row(ids[8]).locator(".pid").click()
        tab.row(ids[6]).evaluate("el => el.scrollIntoView({block: 'start'})")
        page.mouse.move(0, 0)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        assert tab.errors == [] and tab.dialogs == []


def test_html_in_the_file_is_shown_as_text(browser, review_file):
    with ReviewServer(review_file) as server:
        tab = Page(browser, server.url)
        row = tab.row(XSS_ID)
        row.scroll_into_view_if_needed()
        assert row.locator(".side.ar .text").inner_text() == XSS_SOURCE
        assert row.locator(".side.en .text").inner_text() == XSS_TARGET
        assert row.locator(".pid").inner_text() == "#" + XSS_ID
        assert row.locator("script, img, b").count() == 0
        # edit the pair to add more markup: still text
        tab.go_to(XSS_ID)
        tab.page.keyboard.press("e")
        row.locator('textarea[data-side="target"]').fill('<svg onload="window.__pwned=5"></svg> said')
        tab.press("Control+Enter")
        assert row.locator(".side.en .text").inner_text() == '<svg onload="window.__pwned=5"></svg> said'
        tab.page.reload()
        tab.wait_version()
        assert tab.page.evaluate("typeof window.__pwned") == "undefined"
        assert tab.page.locator("#pairs script, #pairs img, #pairs svg").count() == 0
        assert tab.dialogs == [] and tab.errors == []
    assert _pairs(review_file)[XSS_ID].original_target == XSS_TARGET


def test_stale_tab_is_told_to_reload(browser, review_file):
    with ReviewServer(review_file) as server:
        first, second = Page(browser, server.url), Page(browser, server.url)
        first.press("a")
        second.page.keyboard.press("r")  # made against version 0: refused, the tab reloads
        second.wait_version(1)
        assert "changed in another tab" in second.page.inner_text("#message")
        pair = read_json(review_file).pairs[0]
        assert pair.status == "approved"
        assert [h.action for h in pair.history] == ["approve"]


def test_fixture_is_a_translation_of_the_seed(review_file):
    document = read_json(review_file)
    article = read_text(SEEDS / f"{SEED}.txt")
    for pair in document.pairs:
        if pair.source_start is not None:
            assert article[pair.source_start : pair.source_end] == pair.source
            for term in pair.terms:
                assert article[term.start : term.end] == term.source
    assert pair_to_dict(document.pairs[0])["status"] == "unreviewed"


def test_review_of_mt_translate_output(browser, tmp_path, tiny_ct2_int8):
    """The page on a JSON written by ``mt translate`` itself: approve, edit,
    split, merge, undo, reload, and everything is in the file."""
    from typer.testing import CliRunner

    from cli import app

    out = tmp_path / "aligned"
    result = CliRunner().invoke(
        app,
        ["translate", str(SEEDS / f"{SEED}.txt"), "--out", str(out), "--model", str(tiny_ct2_int8),
         "--glossary", str(HOUSE), "--beam", "2"],
    )
    assert result.exit_code == 0, result.output
    path = out / f"{SEED}.json"
    original = read_json(path)
    ids = [p.id for p in original.pairs]
    with ReviewServer(path) as server:
        tab = Page(browser, server.url)
        page = tab.page
        assert page.locator(".pair").count() == len(ids)
        # the enforced terms are highlighted on both sides
        forced = tab.row(ids[4]).locator(".side.en mark.term-forced")
        assert forced.count() >= 1 and "Bashar al-Assad" in forced.all_inner_texts()

        tab.press("a")  # approve the headline
        tab.go_to(ids[3])
        page.keyboard.press("e")
        tab.row(ids[3]).locator('textarea[data-side="target"]').fill("Ali Shamkhani is one of the senior Iranian officials.")
        tab.press("Control+Enter")

        tab.go_to(ids[5])  # split at the cursor on each side
        page.keyboard.press("e")
        row = tab.row(ids[5])
        source, target = original.pairs[5].source, original.pairs[5].target
        ar_cut, en_cut = source.index(" ", len(source) // 2), target.index(" ", len(target) // 2)
        row.locator('textarea[data-side="source"]').evaluate("(el, n) => { el.focus(); el.setSelectionRange(n, n); }", ar_cut)
        row.locator('textarea[data-side="target"]').evaluate("(el, n) => { el.focus(); el.setSelectionRange(n, n); }", en_cut)
        before = tab.version()
        row.get_by_role("button", name="Split this pair").click()
        tab.wait_version(before + 1)

        tab.go_to(ids[7])  # merge two, then one more merge undone
        tab.press("m")
        snapshot = read_json(path).pairs
        tab.go_to(ids[9])
        tab.press("m")
        tab.press("u")
        assert read_json(path).pairs == snapshot

        page.reload()
        tab.wait_version()
        saved = {p.id: p for p in read_json(path).pairs}
        assert saved[ids[0]].status == "approved"
        assert saved[ids[3]].target == "Ali Shamkhani is one of the senior Iranian officials."
        assert saved[ids[3]].original_target == original.pairs[3].target
        assert saved[f"{ids[5]}.1"].source == source[:ar_cut].strip()
        assert saved[f"{ids[5]}.2"].target == target[en_cut:].strip()
        merged = saved[f"{ids[7]}+{ids[8]}"]
        assert merged.source == f"{original.pairs[7].source} {original.pairs[8].source}"
        assert ids[9] in saved and ids[10] in saved
        assert "approved" in tab.row(ids[0]).get_attribute("class")
        assert tab.row(ids[3]).locator(".side.en .text").inner_text() == saved[ids[3]].target
        assert tab.errors == [] and tab.dialogs == []


def test_split_with_only_the_english_cursor_asks_for_the_arabic_one(browser, review_file):
    """Regression: with the cursor only in the English box, Alt+S split at the
    end of the Arabic and made a pair whose Arabic was ''."""
    with ReviewServer(review_file, port=0) as server:
        tab = Page(browser, server.url)
        page = tab.page
        long_pair = read_json(review_file).pairs[13]
        tab.go_to(long_pair.id)
        page.keyboard.press("e")
        row = tab.row(long_pair.id)
        en_cut = long_pair.target.index("Meanwhile")
        row.locator('textarea[data-side="target"]').evaluate("(el, n) => { el.focus(); el.setSelectionRange(n, n); }", en_cut)
        before = tab.version()
        page.keyboard.press("Alt+s")
        page.wait_for_selector("#message.show")
        assert "Arabic" in page.inner_text("#message")
        assert tab.version() == before and long_pair.id in _pairs(review_file)
        assert page.evaluate("document.activeElement.dataset.side") == "source"
        ar_cut = long_pair.source.index("والتقى")
        source_box = row.locator('textarea[data-side="source"]')
        source_box.click()  # the reviewer puts the cursor in the Arabic box
        source_box.evaluate("(el, n) => el.setSelectionRange(n, n)", ar_cut)
        page.keyboard.press("Alt+s")
        tab.wait_version(before + 1)
        saved = _pairs(review_file)
        assert saved[f"{long_pair.id}.1"].source and saved[f"{long_pair.id}.2"].source.startswith("والتقى")
        assert not tab.errors


def test_a_copied_english_caption_reads_left_to_right_unflagged(browser, review_file):
    with ReviewServer(review_file, port=0) as server:
        tab = Page(browser, server.url)
        caption = next(p for p in read_json(review_file).pairs if p.source.startswith("Iranian secretary"))
        cell = tab.row(caption.id).locator(".side.ar")
        assert cell.evaluate("el => getComputedStyle(el).direction") == "ltr"
        assert tab.row(caption.id).locator(".flags").count() == 0
        arabic = tab.row(read_json(review_file).pairs[0].id).locator(".side.ar")
        assert arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"


def test_the_key_bar_says_what_the_keys_do(browser, review_file):
    with ReviewServer(review_file, port=0) as server:
        tab = Page(browser, server.url)
        keys = tab.page.inner_text(".help .keys")
        assert "approve, next" in keys and "reject, next" in keys
        assert "Alt+S split" in keys.replace("\n", " ").replace(" + ", "+")


@pytest.mark.parametrize("width", [1400, 700])
def test_a_long_unbroken_english_word_stays_in_its_column(browser, tmp_path, width):
    """Issue 33: it ran across into the Arabic column at 700 and 1400 px."""
    path = tmp_path / "long.json"
    word = "https://example.org/" + "a" * 300
    write_json(PairDocument({"doc": "l", "kind": "translation"}, (Pair("0", "قال الوزير إن الرابط هنا.", f"The link is {word} here."),)), path)
    with ReviewServer(path, port=0) as server:
        tab = Page(browser, server.url)
        tab.page.set_viewport_size({"width": width, "height": 800})
        english = tab.row("0").locator(".side.en")
        box, text = english.bounding_box(), english.locator(".text").bounding_box()
        assert text["x"] + text["width"] <= box["x"] + box["width"] + 1, (box, text)
        assert english.evaluate("el => el.scrollWidth <= el.clientWidth + 1")


@pytest.mark.parametrize("width", [1400, 700])
def test_the_current_pair_is_never_under_the_sticky_header(browser, review_file, width):
    """Issue 33: the pair moved to with k (or a search hit) sat under the
    header, its first line hidden at 1400 px and more at 700 px."""
    with ReviewServer(review_file, port=0) as server:
        tab = Page(browser, server.url)
        page = tab.page
        page.set_viewport_size({"width": width, "height": 700})
        ids = page.eval_on_selector_all(".pair", "rows => rows.map(r => r.dataset.id)")

        def top_is_clear() -> bool:
            return page.evaluate(
                "() => document.querySelector('.pair.current').getBoundingClientRect().top"
                " >= document.querySelector('header.top').getBoundingClientRect().bottom - 1"
            )

        for _ in range(len(ids) - 1):
            page.keyboard.press("j")
        for _ in range(len(ids) - 1):
            page.keyboard.press("k")
            assert top_is_clear(), page.evaluate("document.querySelector('.pair.current').dataset.id")
        page.fill("#search", "Bashar al-Assad")
        page.press("#search", "Enter")
        assert top_is_clear()


def test_columns_stack_on_a_narrow_screen(browser, review_file):
    with ReviewServer(review_file, port=0) as server:
        tab = Page(browser, server.url)
        tab.page.set_viewport_size({"width": 420, "height": 800})
        row = tab.row(read_json(review_file).pairs[4].id)
        english = row.locator(".side.en").bounding_box()
        arabic = row.locator(".side.ar").bounding_box()
        assert arabic["y"] >= english["y"] + english["height"] - 1, (english, arabic)
        assert english["width"] > 300


def test_search_by_text_or_term_and_confidence_on_each_pair(browser, review_file, tmp_path):
    with ReviewServer(review_file, port=0) as server:
        tab = Page(browser, server.url)
        page = tab.page
        document = read_json(review_file)
        page.fill("#search", "shayrat")
        shown = page.eval_on_selector_all(".pair", "rows => rows.map(r => r.dataset.id)")
        expected = [p.id for p in document.pairs if "shayrat" in (p.source + " " + p.target).lower()]
        assert shown == expected and shown
        page.fill("#search", "Bashar al-Assad")
        shown = page.eval_on_selector_all(".pair", "rows => rows.map(r => r.dataset.id)")
        by_term = [p.id for p in document.pairs if any(t.en == "Bashar al-Assad" for t in p.terms) or "Bashar al-Assad" in p.target]
        assert shown == by_term and shown
        page.fill("#search", "")
        assert page.locator(".pair").count() == len(document.pairs)
        # Arabic is searched as the glossary matches it (issue 33: الأسد found pairs, الاسد none)
        with_assad = [p.id for p in document.pairs if "الأسد" in p.source]
        for query in ("الأسد", "الاسد", "الأَسَد"):
            page.fill("#search", query)
            assert page.eval_on_selector_all(".pair", "rows => rows.map(r => r.dataset.id)") == with_assad and with_assad, query
        page.fill("#search", "")
        # Esc empties the search and gives the keys back to the page (issue 33: j was typed into the box)
        page.fill("#search", "shayrat")
        page.press("#search", "Escape")
        assert page.input_value("#search") == "" and page.locator(".pair").count() == len(document.pairs)
        assert page.evaluate("document.activeElement.id") != "search"
        before = page.evaluate("document.querySelector('.pair.current')?.dataset.id")
        page.keyboard.press("j")
        assert page.input_value("#search") == ""
        assert page.evaluate("document.querySelector('.pair.current')?.dataset.id") != before
    aligned = tmp_path / "aligned.json"
    pairs = (Pair("0", "قال الوزير", "The minister said", confidence=0.97, type="1-1"), Pair("1", "وأضاف", "He added", confidence=0.42, type="1-1"))
    write_json(PairDocument({"doc": "a", "kind": "alignment"}, pairs), aligned)
    with ReviewServer(aligned, port=0) as server:
        tab = Page(browser, server.url)
        assert "0.97" in tab.row("0").locator(".confidence").inner_text()
        assert "low" in (tab.row("1").locator(".confidence").get_attribute("class") or "")
        assert not tab.errors
