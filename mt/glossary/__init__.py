"""The glossary: the house spelling of every known name.

Takes a glossary file (TSV; CSV and TBX-Basic to import and export) and
gives checked ``Entry`` records, a ``Glossary`` whose ``match`` finds terms
in Arabic text through clitics and spelling variants (``TermMatch``, offsets
into the original text), and the English side's search: ``find_term`` and
``check_statuses`` say whether a term's house spelling is in an English text.
Edits (``add_entry``, ``remove_entry``, ``import_entries``) hold a file lock.
``check_glossary`` also warns of entries whose Arabic is a common word (``CommonWords``),
and ``suggest_entries`` lists the names of new articles that the glossary lacks
(``Source``s in: ``mt.align.read_documents`` reads and aligns them).
"""

from __future__ import annotations

from .check import CheckReport, check_glossary
from .common import CommonWords, find_homographs, is_ambiguous, load_common_words
from .entries import (
    DEFAULT_PATH,
    TYPES,
    Entry,
    Problem,
    TermMatch,
    format_glossary,
)
from .files import (
    FORMATS,
    EntryExists,
    add_entry,
    check_type,
    export_glossary,
    guess_format,
    import_entries,
    new_entry,
    remove_entry,
)
from .matching import Glossary
from .romanize import load_romanizer, romanizer_available
from .suggest import Candidate, Proposal, Source, candidates_csv, sources_from_pairs, suggest_entries, write_candidates
from .termsearch import check_statuses, find_term, find_terms, joins_word

__all__ = [
    "DEFAULT_PATH",
    "FORMATS",
    "TYPES",
    "Candidate",
    "CheckReport",
    "CommonWords",
    "Entry",
    "EntryExists",
    "Glossary",
    "Problem",
    "Proposal",
    "Source",
    "TermMatch",
    "add_entry",
    "candidates_csv",
    "check_glossary",
    "check_statuses",
    "check_type",
    "export_glossary",
    "find_homographs",
    "find_term",
    "find_terms",
    "format_glossary",
    "guess_format",
    "import_entries",
    "is_ambiguous",
    "joins_word",
    "load_common_words",
    "load_romanizer",
    "new_entry",
    "remove_entry",
    "romanizer_available",
    "sources_from_pairs",
    "suggest_entries",
    "write_candidates",
]
