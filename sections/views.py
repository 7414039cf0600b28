"""Browse views: thin; the querysets and model methods do the work.

Every page runs a fixed number of queries whatever the size of the section: sections come
annotated with paragraph counts in one query, paragraphs of a section tree in one more.
Not-found pages render 404.html with a message and links that help the reader on.
"""

from operator import attrgetter

from django import forms
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sections import citation
from sections.citation_formats import FORMATS
from sections.compare import SAME, compare_paragraphs
from sections.highlighting import mark_section
from sections.links import site_url
from sections.models import Report, Section, Topic, language_label, subtree_paragraphs
from sections.sitemaps import sitemaps_for


def not_found(request, message: str, links=()):
    """The helpful 404: what was not found, where to go instead, and the search box."""
    return render(request, "404.html", {"message": message, "links": list(links)}, status=404)


def _report_or_404(request, country: str, year: int, language: str):
    """(report, None) or (None, a 404 response that lists what this country does have)."""
    report = Report.objects.published().find(country, year, language)
    if report:
        return report, None
    others = list(Report.objects.for_country(country))
    if not others:
        return None, not_found(
            request,
            _("There are no reports for the country code “%(country)s”.")
            % {"country": country.upper()},
            links=_home_link(),
        )
    message = _("There is no %(year)s report for %(country)s in %(language)s.") % {
        "year": year,
        "country": country.upper(),
        "language": language_label(language),
    }
    return None, not_found(request, message, links=[_report_link(r) for r in others])


def _report_link(report):
    return report.get_absolute_url(), f"{report.year} · {report.title} ({report.language_name})"


def _home_link():
    return [(reverse("sections:home"), _("All reports and topics"))]


def home(request):
    reports = list(Report.objects.published().order_by("country", "-year", "language"))
    countries = {}
    for report in reports:
        countries.setdefault(report.country, []).append(report)
    topics = [t for t in Topic.objects.with_paragraph_counts() if t.paragraph_count]
    return render(
        request,
        "sections/home.html",
        {"countries": countries, "reports": reports, "topics": topics},
    )


def report(request, country, year, language):
    report, missing = _report_or_404(request, country, year, language)
    if missing:
        return missing
    tree = report.section_tree()
    previous, following = report.neighbours()
    translations = Report.objects.published().filter(country=report.country, year=report.year)
    return render(
        request,
        "sections/report.html",
        {
            "report": report,
            "roots": [s for s in tree if s.parent_id is None],
            "paragraph_total": sum(s.paragraph_count for s in tree),
            "previous": previous,
            "following": following,
            "translations": [r for r in translations if r.pk != report.pk],
        },
    )


def section(request, country, year, language, code):
    report, missing = _report_or_404(request, country, year, language)
    if missing:
        return missing
    tree = report.section_tree()
    section = next((s for s in tree if s.code == code), None)
    if section is None:
        message = _("The %(year)s report has no section “%(code)s”.") % {
            "year": report.year,
            "code": code,
        }
        return not_found(request, message, links=[_report_link(report)])
    parts = section.subtree_with_paragraphs(tree)
    for part in parts:
        part.heading_level = min(part.depth - section.depth + 1, 6)
        part.citation_format = citation.citation_format(part)
    # A search hit's link carries ?q=…&hit=N: mark the query's words (no database query).
    reader = mark_section(request.GET, section, parts, report.language)
    previous, following = section.neighbours()
    before, after = _reading_neighbours(tree, parts)
    cited = citation.section_citation(request, section)
    return render(
        request,
        "sections/section.html",
        {
            "report": report,
            "section": section,
            "parts": parts,
            "reader": reader,
            # Without the query: the address to cite, link and index.
            "canonical_url": cited.url,
            "ancestors": section.ancestors(tree),
            "topics": Topic.objects.filter(sections__in=parts).distinct(),
            "previous": previous,
            "following": following,
            "before": before,
            "after": after,
            "citation": cited,
            "share": _section_share(request, section, parts, cited.url),
            "formats": FORMATS.values(),
            "permalink_base": citation.permalink_base(request, report),
        },
    )


def share_metadata(title: str, text: str, url: str) -> dict:
    """What a shared link shows (OpenGraph, Twitter card): the report and section in the
    title, the start of the text, the canonical permalink."""
    return {"title": title, "description": " ".join(text.split()), "url": url}


def paragraph_share(request, paragraph) -> dict:
    """A shared paragraph: its number, section and report, its start, its permalink."""
    section, report = paragraph.section, paragraph.section.report
    return share_metadata(
        f"¶ {paragraph.number} · {section.code} {section.title} · {report.title}",
        paragraph.text,
        citation.permalink(request, paragraph),
    )


def _section_share(request, section, parts, section_url: str) -> dict:
    """The section's share metadata, or with ?p=N (where a paragraph permalink leads) that
    paragraph's when it is on the page, so a link shared by its permalink shows it."""
    on_page = [p for part in parts for p in part.paragraph_list]
    number = request.GET.get("p", "")
    named = int(number) if number.isascii() and number.isdigit() else None
    shown = next((p for p in on_page if p.number == named), None)
    if shown is not None:
        return paragraph_share(request, shown)
    title = f"{section.code} {section.title} · {section.report.title}"
    # Its lead (SectionQuerySet.with_leads) is the subtree's first paragraph, already here.
    opening = min(on_page, key=attrgetter("ordinal"), default=None)
    return share_metadata(title, opening.text if opening else "", section_url)


def _reading_neighbours(tree, parts):
    """The sections before and after a section page in the report's reading order: the one
    just before it, and the first one after its subsections (`parts`, from the tree)."""
    start = tree.index(parts[0])
    end = start + len(parts)
    return (tree[start - 1] if start else None), (tree[end] if end < len(tree) else None)


def section_short(request, country, year, code):
    """/kz/2022/1c/ -> the section in the report's default language (kk, or the only one)."""
    reports = {
        r.language: r for r in Report.objects.published().filter(country=country.upper(), year=year)
    }
    if not reports:
        others = Report.objects.for_country(country)
        message = _("There is no %(year)s report for %(country)s.") % {
            "year": year,
            "country": country.upper(),
        }
        return not_found(request, message, links=[_report_link(r) for r in others] or _home_link())
    interface = (get_language() or "kk")[:2]
    language = next((lang for lang in ("kk", interface) if lang in reports), sorted(reports)[0])
    return redirect("sections:section", country.lower(), year, language, code)


def _paragraph_or_404(request, country, year, language, number):
    """(report, paragraph, None) or (None, None, a helpful 404), following retired anchors."""
    report, missing = _report_or_404(request, country, year, language)
    if missing:
        return None, None, missing
    found = report.resolve_anchor(number)
    if found is None:
        message = _("The %(year)s report has no paragraph %(number)s.") % {
            "year": report.year,
            "number": number,
        }
        return None, None, not_found(request, message, links=[_report_link(report)])
    return report, found, None


def paragraph(request, country, year, language, number):
    """A paragraph permalink: redirects to its section at the paragraph, following anchors a
    re-upload retired; ?p=N tells the section page to describe that paragraph when shared."""
    _, found, missing = _paragraph_or_404(request, country, year, language, number)
    if missing:
        return missing
    return redirect(f"{found.section.get_absolute_url()}?p={found.number}#{found.anchor}")


def cite(request, country, year, language, number):
    """The citation of one paragraph as a page (what the "cite" link shows without JavaScript),
    or with ?format=bibtex|ris|csl-json as a file to download."""
    report, found, missing = _paragraph_or_404(request, country, year, language, number)
    if missing:
        return missing
    if found.number != number:
        target = reverse("sections:cite", args=[*report.url_args, found.number])
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target)
    cited = citation.paragraph_citation(request, found)
    context = {
        "report": report,
        "section": found.section,
        "paragraph": found,
        "share": paragraph_share(request, found),
    }
    return _citation_response(request, cited, context)


def cite_section(request, country, year, language, code):
    """The citation of a section as a page, or with ?format= as a file to download."""
    report, missing = _report_or_404(request, country, year, language)
    if missing:
        return missing
    found = report.sections.with_leads().filter(code=code).first()
    if found is None:
        message = _("The %(year)s report has no section “%(code)s”.") % {
            "year": report.year,
            "code": code,
        }
        return not_found(request, message, links=[_report_link(report)])
    found.report = report
    cited = citation.section_citation(request, found)
    context = {
        "report": report,
        "section": found,
        "share": share_metadata(
            f"{found.code} {found.title} · {report.title}", found.lead, cited.url
        ),
    }
    return _citation_response(request, cited, context)


def _citation_response(request, cited, context):
    """The cite page of `cited`, or the download its ?format= asks for (400 for an unknown
    format, on the cite page with the formats there are)."""
    name = request.GET.get("format")
    chosen = FORMATS.get(name)
    if chosen:
        disposition = content_disposition_header(True, chosen.filename(cited))
        return HttpResponse(
            chosen.write(cited),
            content_type=f"{chosen.content_type}; charset=utf-8",
            headers={"Content-Disposition": disposition},
        )
    context = {**context, "citation": cited, "formats": FORMATS.values()}
    if name is None:
        return render(request, "sections/cite.html", context)
    context["problem"] = _(
        "There is no citation format “%(format)s”. Choose one of: %(formats)s."
    ) % {"format": name, "formats": ", ".join(f.name for f in FORMATS.values())}
    return render(request, "sections/cite.html", context, status=400)


def topics(request):
    """/topics/: every topic, in outline order, with the years whose published reports have it."""
    every = Topic.objects.with_years(newest_first=True).order_by("order", "slug")
    return render(request, "sections/topics.html", {"topics": every})


def opensearch(request):
    """The OpenSearch description that lets a browser add the archive as a search engine."""
    context = {
        "search_url": site_url(reverse("search:page"), request),
        "feed_url": site_url(reverse("search:feed"), request),
        "self_url": site_url(reverse("sections:opensearch"), request),
    }
    return render(
        request, "opensearch.xml", context, content_type="application/opensearchdescription+xml"
    )


def sitemap(request):
    """sitemap.xml of published reports, sections and topics, addressed as site_url() has it."""
    return sitemap_views.sitemap(request, sitemaps_for(request))


def robots(request):
    """robots.txt: everything but the admin, searches, the API and downloads; the sitemap."""
    sitemap = site_url(reverse("sections:sitemap"), request)
    return render(request, "robots.txt", {"sitemap": sitemap}, content_type="text/plain")


def topic(request, slug):
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        topics = Topic.objects.with_paragraph_counts().filter(paragraph_count__gt=0)
        message = _("There is no topic “%(slug)s”.") % {"slug": slug}
        return not_found(request, message, links=[(t.get_absolute_url(), t.name) for t in topics])
    years = {}
    for section in topic.sections_by_year():
        years.setdefault(section.report.year, []).append(section)
    return render(request, "sections/topic.html", {"topic": topic, "years": years})


class CompareForm(forms.Form):
    """The two years to compare (query parameters `from` and `to`) and the report language."""

    language = forms.ChoiceField(label=gettext_lazy("Report language"), required=False)
    changes = forms.BooleanField(label=gettext_lazy("Only changed paragraphs"), required=False)

    def __init__(self, data, years, languages):
        super().__init__(data)
        choices = [(year, year) for year in years]
        for name, label in (("from", gettext_lazy("From")), ("to", gettext_lazy("To"))):
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                error_messages={
                    "invalid_choice": gettext_lazy(
                        "There is no report for “%(value)s”. Pick one of the years in the list."
                    ),
                    "required": gettext_lazy("Pick a year."),
                },
            )
        self.fields["language"].choices = [(c, language_label(c)) for c in languages]
        self.order_fields(["from", "to", "language", "changes"])

    def clean(self):
        data = super().clean()
        if data.get("from") is not None and data.get("from") == data.get("to"):
            raise forms.ValidationError(_("Pick two different years to compare."))
        return data

    def asks_for_a_missing_year(self) -> bool:
        """A well-formed year that has no report: a 404 rather than a 400."""
        return any(
            name in self.errors and str(self.data.get(name, "")).isdigit()
            for name in ("from", "to")
        )


def compare(request, country, code):
    """/kz/compare/1c/?from=2021&to=2022: a section in two years side by side.

    The code is the section's code in the `to` year (or, if that year lacks it, the `from`
    year); the other year's section is the one that stands for it there, matched by subject
    and topics when the two years use different layouts.
    """
    across = Section.objects.aligned_across_years(
        country,
        code,
        prefer_years=(request.GET.get("to"), request.GET.get("from")),
        language=request.GET.get("language", ""),
    )
    if not across:
        known = Report.objects.for_country(country).exists()
        message = (
            _("No report of %(country)s has a section “%(code)s”.")
            if known
            else _("There are no reports for the country code “%(country)s”.")
        ) % {"country": country.upper(), "code": code}
        return not_found(request, message, links=_home_link())
    languages = sorted({s.report.language for s in across}, key=lambda c: (c != "kk", c))
    language = request.GET.get("language") or languages[0]
    in_language = [s for s in across if s.report.language == language] or across
    years = sorted({s.report.year for s in in_language}, reverse=True)
    form = CompareForm(
        {
            "from": request.GET.get("from", years[1] if len(years) > 1 else years[0]),
            "to": request.GET.get("to", years[0]),
            "language": language,
            "changes": request.GET.get("changes", ""),
        },
        years,
        languages,
    )
    context = {"form": form, "country": country.lower(), "code": code, "title": across[-1].title}
    if len(years) < 2:
        context["problem"] = _("Only one year has this section, so there is nothing to compare.")
        return render(request, "sections/compare.html", context)
    if not form.is_valid():
        status = 404 if form.asks_for_a_missing_year() else 400
        return render(request, "sections/compare.html", context, status=status)
    by_year = {s.report.year: s for s in in_language}
    old, new = by_year[form.cleaned_data["from"]], by_year[form.cleaned_data["to"]]
    paragraphs = subtree_paragraphs([old, new])
    comparison = compare_paragraphs(paragraphs[old.id], paragraphs[new.id])
    rows = comparison.rows
    if form.cleaned_data["changes"]:
        rows = [row for row in rows if row.kind != SAME]
    context.update(
        {
            "old": old,
            "new": new,
            "comparison": comparison,
            "rows": rows,
            "title": new.title,
            "layouts_differ": old.report.layout != new.report.layout,
        }
    )
    return render(request, "sections/compare.html", context)
