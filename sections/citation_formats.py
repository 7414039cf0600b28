"""A `Citation` as a file a reference manager imports: BibTeX (written by bibtexparser), RIS
(rispy) and CSL-JSON. Each names the publisher, the report's title and year, its language and
whether it is a translation, the section, the paragraph, the permalink and the access date.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from django.utils.translation import gettext as _

from sections.citation import Citation
from sections.models import language_label

# Characters LaTeX reads as commands in a BibTeX field (a bare % would end the line).
LATEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
LATEX_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_text(value: str) -> str:
    """Plain text as a BibTeX field value that LaTeX prints as written."""
    return LATEX_SPECIAL.sub(lambda m: LATEX_ESCAPES.get(m.group(1), "\\" + m.group(1)), value)


def note(citation: Citation) -> str:
    """Where in the report, whether it is a translation, and as what the publisher has it:
    what the formats have no common field for."""
    parts = [citation.locator[:1].upper() + citation.locator[1:]]
    report = citation.report
    if report.is_translation:
        parts.append(citation.language_description)
    if report.original_title or report.original_url:
        original = " ".join(p for p in (f"“{report.original_title}”", report.original_url) if p)
        parts.append(_("Published as %(original)s") % {"original": original})
    return ". ".join(parts) + "."


def section_label(citation: Citation) -> str:
    return f"{citation.section_code} “{citation.section_title}”"


def bibtex(citation: Citation) -> str:
    """A @techreport entry; the publisher, a body, is its author in double braces."""
    report = citation.report
    fields = []
    if citation.publisher:
        fields += [
            ("author", "{" + latex_text(citation.publisher) + "}"),
            ("institution", latex_text(citation.publisher)),
        ]
    fields += [
        ("title", latex_text(report.title)),
        ("type", latex_text(_("Report"))),
        ("year", str(citation.issued[0])),
    ]
    if report.publication_date:
        fields.append(("date", report.publication_date.isoformat()))
    fields.append(("language", latex_text(language_label(report.language))))
    if report.is_translation and report.original_language:
        fields.append(("origlanguage", latex_text(language_label(report.original_language))))
    if report.is_translation and report.original_title:
        fields.append(("origtitle", latex_text(report.original_title)))
    fields += [
        ("chapter", latex_text(section_label(citation))),
        ("note", latex_text(note(citation))),
        ("url", citation.url),  # biblatex reads url verbatim
        ("urldate", citation.accessed.isoformat()),
    ]
    library = bibtexparser.Library()
    library.add(Entry("techreport", citation.key, [Field(k, v) for k, v in fields]))
    return bibtexparser.write_string(library)


def ris_date(parts: tuple[int, ...]) -> str:
    """RIS dates are YYYY/MM/DD."""
    return "/".join(f"{part:02d}" for part in parts)


def ris(citation: Citation) -> str:
    """A RPRT record. The publisher is PB only: readers split an AU name at its first comma."""
    report = citation.report
    record = {
        "type_of_reference": "RPRT",
        "id": citation.key,
        "title": report.title,
        "year": str(citation.issued[0]),
        "language": language_label(report.language),
        "section": section_label(citation),
        "urls": [citation.url],
        "access_date": ris_date(citation.accessed.timetuple()[:3]),
        "notes": [note(citation)],
    }
    if citation.publisher:
        record["publisher"] = citation.publisher
    if report.publication_date:
        record["date"] = ris_date(citation.issued)
    if report.is_translation and report.original_title:
        record["original_publication"] = report.original_title
    return rispy.dumps([record])


def csl_json(citation: Citation) -> str:
    """A one-item CSL-JSON list of type "report"; the publisher, a body, a literal name."""
    report = citation.report
    item = {
        "id": citation.key,
        "type": "report",
        "title": report.title,
        "genre": _("Report"),
        "issued": {"date-parts": [list(citation.issued)]},
        "language": report.language,
        "section": section_label(citation),
        "URL": citation.url,
        "accessed": {"date-parts": [list(citation.accessed.timetuple()[:3])]},
        "note": note(citation),
    }
    if citation.publisher:
        item["author"] = [{"literal": citation.publisher}]
        item["publisher"] = citation.publisher
    if report.is_translation and report.original_title:
        item["original-title"] = report.original_title
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class CitationFormat:
    """A download: its name in ?format=, label, media type, file extension and writer."""

    name: str
    label: str
    content_type: str
    extension: str
    write: Callable[[Citation], str]

    def filename(self, citation: Citation) -> str:
        return f"{citation.key}.{self.extension}"


FORMATS = {
    f.name: f
    for f in (
        CitationFormat("bibtex", "BibTeX", "application/x-bibtex", "bib", bibtex),
        CitationFormat("ris", "RIS", "application/x-research-info-systems", "ris", ris),
        CitationFormat(
            "csl-json", "CSL-JSON", "application/vnd.citationstyles.csl+json", "json", csl_json
        ),
    )
}
