"""mt's segmentation rules as files CAT tools load.

``srx_document`` gives ``SEGMENTATION_RULES`` as an SRX 2.0 document (Trados,
memoQ and other SRX readers), ``omegat_segmentation`` as the
``omegat/segmentation.conf`` that OmegaT 3.6 reads for a project (it has no SRX
import; its file is a Java ``XMLEncoder`` dump of the same rules).  Both keep
the rules' order, which decides: at each position the first rule that
matches breaks or does not.  ``read_srx_rules`` reads an SRX file back.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import InputError
from .files import write_bytes_atomic
from .segment import SEGMENTATION_RULES, SegmentationRule

SRX_NAMESPACE = "http://www.lisa.org/srx20"
RULE_SET_NAME = "mt Arabic and English news"
# One rule set for every language: mt segments Arabic and English alike.
LANGUAGE_PATTERN = ".*"
OMEGAT_SRX_VERSION = "0.2.2"  # OmegaT 3.6's SRX.CURRENT_VERSION; an older one is merged with its defaults

_RulesArg = tuple[SegmentationRule, ...]


def _to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def srx_document(rules: _RulesArg = SEGMENTATION_RULES) -> bytes:
    """``rules`` as an SRX 2.0 document (UTF-8 bytes), each rule after a comment saying why."""
    ns = f"{{{SRX_NAMESPACE}}}"
    root = etree.Element(ns + "srx", nsmap={None: SRX_NAMESPACE}, version="2.0")
    header = etree.SubElement(root, ns + "header", segmentsubflows="yes", cascade="no")
    for kind, include in (("start", "no"), ("end", "yes"), ("isolated", "no")):
        etree.SubElement(header, ns + "formathandle", type=kind, include=include)
    body = etree.SubElement(root, ns + "body")
    language_rule = etree.SubElement(
        etree.SubElement(body, ns + "languagerules"), ns + "languagerule", languagerulename=RULE_SET_NAME
    )
    for rule in rules:
        language_rule.append(etree.Comment(f" {rule.note} "))
        element = etree.SubElement(language_rule, ns + "rule", {"break": "yes" if rule.breaks else "no"})
        etree.SubElement(element, ns + "beforebreak").text = rule.before
        etree.SubElement(element, ns + "afterbreak").text = rule.after
    etree.SubElement(
        etree.SubElement(body, ns + "maprules"),
        ns + "languagemap",
        languagepattern=LANGUAGE_PATTERN,
        languagerulename=RULE_SET_NAME,
    )
    return _to_bytes(root)


def read_srx_rules(source: Path | bytes) -> _RulesArg:
    """The rules of the first language rule set of an SRX 2.0 file, in order."""
    name = str(source) if isinstance(source, Path) else "SRX document"
    try:
        root = etree.parse(str(source)) if isinstance(source, Path) else etree.fromstring(source).getroottree()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{name}: not a readable SRX file ({exc})") from None
    ns = {"srx": SRX_NAMESPACE}
    language_rule = root.find(".//srx:languagerule", ns)
    if language_rule is None:
        raise InputError(f"{name}: no <languagerule> in the SRX namespace {SRX_NAMESPACE}")
    return tuple(
        SegmentationRule(
            breaks=rule.get("break", "yes") == "yes",
            before=rule.findtext("srx:beforebreak", "", ns),
            after=rule.findtext("srx:afterbreak", "", ns),
            note=(rule.getprevious().text or "").strip() if isinstance(rule.getprevious(), etree._Comment) else "",
        )
        for rule in language_rule.findall("srx:rule", ns)
    )


def _encoded(parent: etree._Element, prop: str, kind: str, value: str) -> None:
    holder = etree.SubElement(parent, "void", property=prop)
    etree.SubElement(holder, kind).text = value


def omegat_segmentation(rules: _RulesArg = SEGMENTATION_RULES) -> bytes:
    """``rules`` as OmegaT 3.6's ``segmentation.conf`` (``java.beans.XMLDecoder`` XML)."""
    root = etree.Element("java", {"version": "1.8.0", "class": "java.beans.XMLDecoder"})
    srx = etree.SubElement(root, "object", {"class": "org.omegat.core.segmentation.SRX"})
    add = etree.SubElement(etree.SubElement(srx, "void", property="mappingRules"), "void", method="add")
    map_rule = etree.SubElement(add, "object", {"class": "org.omegat.core.segmentation.MapRule"})
    _encoded(map_rule, "language", "string", RULE_SET_NAME)
    _encoded(map_rule, "pattern", "string", LANGUAGE_PATTERN)
    rule_list = etree.SubElement(
        etree.SubElement(map_rule, "void", property="rules"), "object", {"class": "java.util.ArrayList"}
    )
    for rule in rules:
        element = etree.SubElement(
            etree.SubElement(rule_list, "void", method="add"), "object", {"class": "org.omegat.core.segmentation.Rule"}
        )
        _encoded(element, "afterbreak", "string", rule.after)
        _encoded(element, "beforebreak", "string", rule.before)
        _encoded(element, "breakRule", "boolean", "true" if rule.breaks else "false")
    _encoded(srx, "version", "string", OMEGAT_SRX_VERSION)
    return _to_bytes(root)


def write_srx(path: Path | str, rules: _RulesArg = SEGMENTATION_RULES, *, omegat: bool = False) -> Path:
    """Write ``rules`` atomically to ``path``: SRX 2.0, or OmegaT's ``segmentation.conf`` with ``omegat``."""
    path = Path(path)
    write_bytes_atomic(path, omegat_segmentation(rules) if omegat else srx_document(rules))
    return path
