"""The project's error types.

Library code raises these with a message that says which input, where, what
was expected, what was found and what to do; the CLI prints the message as one
line and exits non-zero.  Nothing in ``mt`` calls ``sys.exit``.
"""

from __future__ import annotations


class MTError(Exception):
    """Base class of every error the CLI reports as one line."""


class InputError(MTError):
    """An input file is missing, unreadable, empty or undecodable."""


class EmptyInputError(InputError):
    """An input holds nothing but whitespace."""


class OutputError(MTError):
    """An output cannot be written where it was asked for."""


class FormatError(MTError):
    """A JSON, TMX, TBX, CSV or TSV file is not what the reader expects."""


class GlossaryError(MTError):
    """A glossary file or entry is malformed."""


class ModelError(MTError):
    """A translation model cannot be found, loaded or converted."""


class DependencyError(MTError):
    """An optional dependency is missing; the message names the install command."""
