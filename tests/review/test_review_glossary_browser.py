"""Add to the glossary from the review page, in headless Chromium driven by
Playwright (skipped without them, as the other review browser tests):
select the Arabic (and the English), press g, check the form, save; a
conflicting entry is refused in the form and nothing is written."""

from __future__ import annotations

import pytest

from mt.formats import read_json
from mt.glossary import Entry, Glossary, format_glossary
from mt.review.server import ReviewServer

from .test_review_browser import TERMS, Page, browser, review_file  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

SELECT = """([id, side, text]) => {
  const box = document.querySelector(`.pair[data-id="${id}"] .side.${side} .text`);
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return true;
  }
  return false;
}"""


def _select(tab: Page, pair_id: str, side: str, text: str) -> None:
    assert tab.page.evaluate(SELECT, [pair_id, side, text]), (pair_id, side, text)


@pytest.fixture()
def glossary(tmp_path):
    """The fixture's glossary less Valery Gerasimov, for the page to add."""
    path = tmp_path / "g.tsv"
    entries = [Entry(ar, en, "PER" if ar != "حمص" else "LOC") for ar, (en, _) in TERMS.items() if ar != "فاليري غراسيموف"]
    path.write_text(format_glossary(entries), encoding="utf-8")
    return path


def test_add_to_glossary_from_the_page(browser, review_file, glossary):  # noqa: F811 (fixtures)
    with ReviewServer(review_file, port=0, glossary=glossary) as server:
        tab = Page(browser, server.url)
        assert "g add selected Arabic to glossary" in tab.page.inner_text(".help .keys").replace("\n", " ")
        form = tab.page.locator("#add-term")
        assert form.is_hidden()

        # The English first, then the Arabic name of pair 13; g opens the form with both.
        _select(tab, "13", "en", "Hossein Amir-Abdollahian")
        _select(tab, "13", "ar", "حسين أمير عبد اللهيان")
        tab.page.keyboard.press("g")
        assert form.is_visible()
        assert form.locator("[name=ar]").input_value() == "حسين أمير عبد اللهيان"
        assert form.locator("[name=en]").input_value() == "Hossein Amir-Abdollahian"
        assert str(glossary) in form.inner_text()
        form.locator("[name=type]").select_option("PER")
        before = tab.version()
        form.locator("[name=en]").press("Enter")
        tab.wait_version(before + 1)
        assert form.is_hidden()
        assert Glossary.load(glossary).get("حسين أمير عبد اللهيان") == Entry("حسين أمير عبد اللهيان", "Hossein Amir-Abdollahian", "PER")
        assert tab.row("13").locator(".side.ar mark.term", has_text="حسين أمير عبد اللهيان").count() == 1
        assert tab.row("13").locator(".side.en mark.term-produced", has_text="Hossein Amir-Abdollahian").count() == 1
        assert "added حسين أمير عبد اللهيان → Hossein Amir-Abdollahian (PER)" in tab.page.inner_text("#message")

        # An edited type and English; the short form after the full name is marked too (pair 10).
        _select(tab, "8", "ar", "فاليري غراسيموف")
        tab.page.keyboard.press("g")
        form.locator("[name=en]").fill("Valery Gerasimov")
        form.locator("[name=type]").select_option("PER")
        before = tab.version()
        form.locator("button[type=submit]").click()
        tab.wait_version(before + 1)
        short = tab.row("10").locator(".side.ar mark.term-short")
        assert short.inner_text() == "وغراسيموف" and "short form of فاليري غراسيموف" in short.get_attribute("title")
        [term] = [t for t in read_json(review_file).pairs[10].terms if t.via]
        assert (term.en, term.via, term.status) == ("Gerasimov", "فاليري غراسيموف", "produced")

        # A conflicting entry: refused in the form, with the glossary's message; nothing written.
        saved = glossary.read_bytes(), review_file.read_bytes()
        _select(tab, "4", "ar", "بشار الأسد")
        tab.page.keyboard.press("g")
        form.locator("[name=en]").fill("President Assad")
        form.locator("[name=en]").press("Enter")
        error = tab.page.locator("#add-term-error")
        error.wait_for(state="visible")
        assert "'بشار الأسد' is already in the glossary ('Bashar al-Assad'" in error.inner_text()
        assert "--replace" not in error.inner_text().split("or use mt glossary add")[0]  # no option the page lacks (issue 33)
        assert "edit that line" in error.inner_text()
        assert form.is_visible() and tab.version() == before + 1
        assert (glossary.read_bytes(), review_file.read_bytes()) == saved
        form.locator("[name=en]").press("Escape")
        assert form.is_hidden()

        # g without an Arabic selection says what to do.
        tab.page.evaluate("getSelection().removeAllRanges()")
        tab.page.keyboard.press("g")
        assert form.is_hidden() and "Select an Arabic name in a pair first" in tab.page.inner_text("#message")
        # then a selection and g: the form opens and the hint goes (it stayed on screen, issue 33)
        _select(tab, "4", "ar", "بشار الأسد")
        tab.page.keyboard.press("g")
        assert form.is_visible() and "show" not in (tab.page.get_attribute("#message", "class") or "")
        form.locator("[name=en]").press("Escape")
        # the refusal's 422 is the only thing the console reports
        assert [e for e in tab.errors if "status of 422" not in e] == [] and tab.dialogs == []
