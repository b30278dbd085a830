"""Arabic→English news translation with an enforced entity glossary.

Stages, each usable alone: normalise → segment → match glossary terms →
translate with the terms enforced → align → write TMX/JSON → review → score.
"""

__version__ = "0.1.0"
TOOL_NAME = "mt-glossary"
