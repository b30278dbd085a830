"""A short form's ``via`` in the pairs JSON: written only when set, read back."""

from __future__ import annotations

import json

from mt.formats import read_json, write_json
from mt.types import Pair, PairDocument, TermHit


def test_via_is_written_only_for_short_forms_and_read_back(tmp_path):
    full = TermHit("علي شمخاني", 4, 14, "Ali Shamkhani", "علي شمخاني")
    short = TermHit("شمخاني", 20, 26, "Shamkhani", "شمخاني", status="forced", via="علي شمخاني")
    document = PairDocument({"doc": "d", "source_file": "d.txt"}, (Pair("0", "x", "y", 0, 30, terms=(full, short)),))
    path = tmp_path / "d.json"
    write_json(document, path)
    terms = json.loads(path.read_text(encoding="utf-8"))["pairs"][0]["terms"]
    assert "via" not in terms[0] and terms[1]["via"] == "علي شمخاني"
    assert read_json(path).pairs[0].terms == (full, short)
