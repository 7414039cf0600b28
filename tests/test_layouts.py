"""Real reports of every layout and format, parsed as a person reading them would outline them.

The inputs look like State Department Country Reports on Human Rights Practices really look:
the two real 2023 English reports from ../shared/reports, and reports written here in the
style of other years, languages and formats (the 2001 web page, a 2013 PDF, a 2024 PDF, a
Russian translation, Markdown saved from the web page, a DOCX with heading styles, PDF text
with its page furniture). The tests assert the outline a reader sees (codes, titles, parents,
topics, paragraph counts), the detected layout and the warnings, never the parser's internals.

Pure Python: run with `pytest tests/test_layouts.py -p no:django`.
"""

import io
import re
import textwrap
from pathlib import Path

import docx
import pytest

from sections import taxonomy
from sections.ingest.errors import IngestError
from sections.ingest.parser import ParsedReport, parse_report
from sections.ingest.readers import read_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "reports"
KZ_2023 = REPORTS / "kz-2023-en.txt"
AD_2023 = REPORTS / "ad-2023-en.txt"

WORD = re.compile(r"\w+")
# The series name printed above the country's title; the parser leaves it out on purpose.
SERIES_LINE_2023 = "Country Reports on Human Rights Practices for 202 3"


# --- helpers ------------------------------------------------------------------------------


class Lines(str):
    """A block kept line for line as printed: a heading, maybe wrapped over lines by hand."""


def pdf_text(*blocks: str, width: int = 80, blank_lines: bool = False) -> str:
    """Blocks as PDF-to-text output: paragraphs filled line by line up to `width` columns (as a
    PDF sets them), headings (`Lines`) as given; blank lines between blocks, or none."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Lines):
            lines.extend(block.split("\n"))
        else:
            lines.extend(textwrap.wrap(block, width))
        if blank_lines:
            lines.append("")
    return "\n".join(lines) + "\n"


def web_text(*blocks: str) -> str:
    """Blocks as text saved from a web page: one line each, a blank line between."""
    return "\n\n".join(blocks) + "\n"


def paginate(
    text: str,
    lines_per_page: int,
    header,
    footer: tuple[str, ...],
    page_numbers: bool = True,
    form_feed: bool = True,
) -> str:
    """PDF text with its page furniture: every page ends with the footer lines (and its
    number), every page after the first starts with the running header. `header` is a
    string, or a function of the page number for headers such as "RUSSIA 2"."""
    body = text.split("\n")
    pages = [body[i : i + lines_per_page] for i in range(0, len(body), lines_per_page)]
    out: list[str] = []
    for number, page in enumerate(pages, 1):
        if number > 1:
            out.append(header(number) if callable(header) else header)
        out.extend(page)
        out.extend(footer)
        if page_numbers:
            out.append(str(number))
        if form_feed and number < len(pages):
            out.append("\f")
    return "\n".join(out)


def insert_after(blocks: list, heading: Lines, *new) -> list:
    """`blocks` with `new` blocks after the heading and the paragraphs that follow it."""
    position = blocks.index(heading) + 1
    while position < len(blocks) and not isinstance(blocks[position], Lines):
        position += 1
    return [*blocks[:position], *new, *blocks[position:]]


def parse(text: str, language: str | None = "en") -> ParsedReport:
    """parse_report, and what must hold for every input: codes unique, each parent before its
    children, orders 1..n, paragraphs single clean lines."""
    report = parse_report(text, language)
    printed = [s.code for s in report.sections]
    assert len(printed) == len(set(printed)), f"duplicate codes in {printed}"
    seen: set[str] = set()
    for number, s in enumerate(report.sections, 1):
        assert s.order == number
        assert s.parent is None or s.parent in seen, f"{s.code} comes before its parent"
        seen.add(s.code)
        for paragraph in s.paragraphs:
            assert paragraph and paragraph == paragraph.strip(), repr(paragraph)
            assert "\n" not in paragraph and "  " not in paragraph, repr(paragraph)
    return report


def outline(report: ParsedReport) -> list[tuple]:
    """(code, parent, title, topics) of every section in document order."""
    return [(s.code, s.parent, s.title, s.topics) for s in report.sections]


def codes(report: ParsedReport) -> list[str]:
    return [s.code for s in report.sections]


def counts(report: ParsedReport) -> dict[str, int]:
    return {s.code: len(s.paragraphs) for s in report.sections}


def section(report: ParsedReport, code: str):
    found = [s for s in report.sections if s.code == code]
    assert found, f"no section {code} among {codes(report)}"
    return found[0]


def titled(report: ParsedReport, title: str):
    found = [s for s in report.sections if s.title == title]
    assert found, f"no section titled {title!r} among {[s.title for s in report.sections]}"
    return found[0]


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def words_in_order(report: ParsedReport, unprinted: frozenset[str] = frozenset()) -> list[str]:
    """Every word the parse kept, in order: title, then each label, title and paragraph.
    Sections in `unprinted` had no heading in the text, so their titles are not counted."""
    parts = [report.title]
    for s in report.sections:
        title = "" if s.code in unprinted else s.title
        parts += [s.printed_label, title, *s.paragraphs]
    return words(" ".join(parts))


def all_paragraphs(report: ParsedReport) -> list[str]:
    return [p for s in report.sections for p in s.paragraphs]


def labels_not_starting_a_paragraph(report: ParsedReport, labels: list[str]) -> list[str]:
    """The run-in labels ("Administration: Authorities…") that no paragraph starts with."""
    starts = all_paragraphs(report)
    return [label for label in labels if not any(p.startswith(label) for p in starts)]


def same_parse(report: ParsedReport) -> list[tuple]:
    """What a reader compares between two copies of one report: the outline and the text."""
    return [(s.code, s.parent, s.title, s.topics, s.paragraphs) for s in report.sections]


# --- the two real English reports of 2023 ------------------------------------------------

KZ_OUTLINE = [
    ("summary", None, "Executive Summary", []),
    ("1", None, "Respect for the Integrity of the Person", []),
    (
        "1a",
        "1",
        "Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings",
        ["killings"],
    ),
    ("1b", "1", "Disappearance", ["disappearance"]),
    (
        "1c",
        "1",
        "Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other "
        "Related Abuses",
        ["torture"],
    ),
    ("1c-prisons", "1c", "Prison and Detention Center Conditions", ["prisons"]),
    ("1d", "1", "Arbitrary Arrest or Detention", ["arrest"]),
    ("1d-procedures", "1d", "Arrest Procedures and Treatment of Detainees", ["arrest"]),
    ("1e", "1", "Denial of Fair Public Trial", ["courts"]),
    ("1e-trial", "1e", "Trial Procedures", ["courts"]),
    ("1e-political-prisoners", "1e", "Political Prisoners and Detainees", ["political-prisoners"]),
    ("1f", "1", "Transnational Repression", ["transnational-repression"]),
    ("1g", "1", "Property Seizure and Restitution", ["property"]),
    (
        "1h",
        "1",
        "Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence",
        ["privacy"],
    ),
    ("2", None, "Respect for Civil Liberties", []),
    (
        "2a",
        "2",
        "Freedom of Expression, Including for Members of the Press and Other Media",
        ["press-freedom"],
    ),
    ("2a-internet", "2a", "Internet Freedom", ["internet"]),
    ("2b", "2", "Freedoms of Peaceful Assembly and Association", ["assembly", "association"]),
    ("2b-assembly", "2b", "Freedom of Peaceful Assembly", ["assembly"]),
    ("2b-association", "2b", "Freedom of Association", ["association"]),
    ("2c", "2", "Freedom of Religion", ["religion"]),
    ("2d", "2", "Freedom of Movement and the Right to Leave the Country", ["movement"]),
    ("2e", "2", "Protection of Refugees", ["refugees"]),
    (
        "2f",
        "2",
        "Status and Treatment of Internally Displaced Persons (IDPs)",
        ["displaced-persons"],
    ),
    ("2g", "2", "Stateless Persons", ["statelessness"]),
    ("3", None, "Freedom to Participate in the Political Process", ["elections"]),
    ("3-elections", "3", "Elections and Political Participation", ["elections"]),
    ("4", None, "Corruption in Government", ["corruption"]),
    (
        "5",
        None,
        "Governmental Posture Towards International and Nongovernmental Monitoring and "
        "Investigation of Alleged Abuses of Human Rights",
        ["ngos"],
    ),
    ("6", None, "Discrimination and Societal Abuses", ["discrimination"]),
    ("6-women", "6", "Women", ["women"]),
    (
        "6-ethnic",
        "6",
        "Systemic Racial or Ethnic Violence and Discrimination",
        ["ethnic-minorities", "discrimination"],
    ),
    ("6-children", "6", "Children", ["children"]),
    ("6-antisemitism", "6", "Antisemitism", ["antisemitism"]),
    ("6-trafficking", "6", "Trafficking in Persons", ["trafficking"]),
    (
        "6-lgbti",
        "6",
        "Acts of Violence, Criminalization, and Other Abuses Based on Sexual Orientation, "
        "Gender Identity or Expression, or Sex Characteristics",
        ["lgbti"],
    ),
    ("6-disabilities", "6", "Persons with Disabilities", ["disabilities"]),
    ("6-other", "6", "Other Societal Violence or Discrimination", ["discrimination"]),
    ("7", None, "Worker Rights", ["labour"]),
    (
        "7a",
        "7",
        "Freedom of Association and the Right to Collective Bargaining",
        ["labour", "association"],
    ),
    ("7b", "7", "Prohibition of Forced or Compulsory Labor", ["forced-labour", "labour"]),
    (
        "7c",
        "7",
        "Prohibition of Child Labor and Minimum Age for Employment",
        ["child-labour", "children", "labour"],
    ),
    ("7d", "7", "Discrimination (see section 6)", ["discrimination", "labour"]),
    ("7e", "7", "Acceptable Conditions of Work", ["working-conditions", "labour"]),
]
# Andorra prints no 2f/2g, no sub-headings under 2b and no "Other Societal Violence".
AD_OUTLINE = [
    row
    for row in KZ_OUTLINE
    if row[0] not in {"2b-assembly", "2b-association", "2f", "2g", "6-other"}
]

# Paragraph counts checked by reading the text: every break falls on a short line or on a
# run-in label, and every line inside a paragraph is full.
# fmt: off
# "5": the fifth paragraph starts with the run-in "Government Human Rights Bodies:".
KZ_COUNTS = {
    "summary": 3, "1b": 1, "1c": 4, "1c-prisons": 5, "1d": 2, "1d-procedures": 8, "1f": 2, "1g": 1,
    "1h": 6, "2f": 1, "3-elections": 4, "4": 3, "5": 8, "6-children": 5, "6-antisemitism": 1,
    "6-trafficking": 1, "6-lgbti": 8, "7b": 1, "7c": 1, "7d": 0,
}
# fmt: on
# fmt: off
# "7e": the fifth paragraph starts with the run-in "Wage, Hour, and OSH Enforcement:".
AD_COUNTS = {
    "summary": 3, "1a": 1, "1b": 1, "1c": 1, "1c-prisons": 3, "1f": 1, "1g": 1, "1h": 1, "5": 3,
    "6-women": 4, "6-children": 6, "6-lgbti": 9, "6-disabilities": 4, "7d": 0, "7e": 7,
}
# fmt: on

# Every run-in label printed in the reports, as its paragraph starts once spaces are collapsed.
KZ_RUN_IN_LABELS = [
    "Abusive Physical Conditions: The Public Monitoring Commissions (quasi-independent",
    "Administration: Human rights observers",
    "Independent Monitoring: There were no independent",
    "Arbitrary Arrest: The government frequently",
    "Threats, Harassment, Surveillance, and Coercion: On February 7",
    "Freedom of Expression: The government limited",
    "Violence and Harassment: Civil society experts",
    "Censorship or Content Restrictions for Members of the Press and Other Media, Including "
    "Online Media: Journalists",
    "Libel/Slander Laws: There was no criminal liability",
    "National Security: The law criminalized",
    "Access to Asylum: The law provided",
    "Refoulement: In December 2022",
    "Employment: Refugees faced",
    "Access to Basic Services: Status as “temporarily residing aliens”",
    "Abuses or Irregularities in Recent Elections: National elections",
    "Political Parties and Political Participation: The government did not",
    "Participation of Women and Members of Marginalized or Vulnerable Groups: No law",
    "Corruption: Corruption was widespread",
    "Retribution against Human Rights Defenders: Human rights defenders",
    "Government Human Rights Bodies: The Presidential Commission",
    "Rape and Domestic Violence: The law criminalized",
    "Other Forms of Gender-based Violence or Harassment: Although",
    "Discrimination: The constitution and law provided for equal rights",
    "Reproductive Rights: There were no reports",
    "Birth Registration: Since 2019",
    "Education: Some children",
    "Child Abuse: Laws prohibited",
    "Child, Early, and Forced Marriage: The legal minimum age",
    "Sexual Exploitation of Children: The law did not specify",
    "Criminalization: There were no laws",
    "Violence and Harassment: Human rights defenders reported cases",
    "Discrimination: The law did not specifically prohibit",
    "Availability of Legal Gender Recognition: Although",
    "Involuntary or Coercive Medical or Psychological Practices: Human rights",
    "Restrictions of Freedom of Expression, Association, or Peaceful Assembly: Human rights",
    "Wage and Hour Laws: The national monthly minimum wage",
    "Occupational Safety and Health: The government set",
    "Wage, Hour, and OSH Enforcement: The Ministry of Labor",
]
AD_RUN_IN_LABELS = [
    "Administration: Authorities conducted",
    "Independent Monitoring: The government permitted",
    "Pretrial Detention: The law provided",
    "Access to Asylum: The law did not provide",
    "Temporary Protection: The law provided",
    "Abuses or Irregularities in Recent Elections: National elections, held on April 2",
    "Government Human Rights Bodies: The main function",
    "Rape and Domestic Violence: The law prohibited rape",
    "Other Forms of Gender-based Violence or Harassment: The law prohibited",
    "Discrimination: The law provided the same legal status",
    "Reproductive Rights: There were no reports",
    "Child Abuse: The law prohibited child abuse",
    "Child, Early, and Forced Marriage: The minimum legal age",
    "Sexual Exploitation of Children: Child pornography",
    "Criminalization: No law criminalized",
    "Violence and Harassment: The law considered",
    "Discrimination: The law prohibited discrimination by state",
    "Availability of Legal Gender Recognition: The law, approved in 2022",
    "Involuntary or Coercive Medical or Psychological Practices: There were no",
    "Restrictions of Freedom of Expression, Association, or Peaceful Assembly: There were no",
    "Wage and Hour Laws: The national minimum wage",
    "Occupational Safety and Health: Under the law",
    "Wage, Hour, and OSH Enforcement: The government generally enforced",
]


@pytest.fixture(scope="module")
def kz_text() -> str:
    return KZ_2023.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ad_text() -> str:
    return AD_2023.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kz(kz_text):
    return parse(kz_text, "en")


@pytest.fixture(scope="module")
def ad(ad_text):
    return parse(ad_text, "en")


def test_kazakhstan_2023_is_detected_as_the_2023_layout_with_its_title(kz):
    assert kz.layout == "seven-sections-2023"
    assert kz.title == "Kazakhstan 2023 Human Rights Report"


def test_kazakhstan_2023_has_every_section_with_its_parent_and_topics(kz):
    assert outline(kz) == KZ_OUTLINE


def test_kazakhstan_2023_new_subsections_carry_their_topics(kz):
    assert section(kz, "1f").topics == ["transnational-repression"]
    assert section(kz, "1g").topics == ["property"]
    assert section(kz, "1h").topics == ["privacy"]
    assert section(kz, "1c").topics == ["torture"]
    lettered = [s.printed_label for s in kz.sections if s.parent == "1"]
    assert lettered == ["a.", "b.", "c.", "d.", "e.", "f.", "g.", "h."]


def test_kazakhstan_2023_paragraph_counts_a_reader_sees(kz):
    assert {code: counts(kz)[code] for code in KZ_COUNTS} == KZ_COUNTS


def test_kazakhstan_2023_warns_about_nothing(kz):
    assert kz.warnings == []


def test_kazakhstan_2023_loses_no_text_and_keeps_its_order(kz_text, kz):
    """The words of the input, the series line aside, are the words of titles and paragraphs."""
    assert kz_text.startswith(SERIES_LINE_2023 + "\n")
    expected = words(kz_text.removeprefix(SERIES_LINE_2023 + "\n"))
    assert words_in_order(kz) == expected


def test_kazakhstan_2023_run_in_labels_start_their_paragraphs(kz):
    assert labels_not_starting_a_paragraph(kz, KZ_RUN_IN_LABELS) == []


def test_kazakhstan_2023_not_applicable_sections_keep_their_one_paragraph(kz):
    assert section(kz, "1g").paragraphs == ["Not applicable."]
    assert section(kz, "2f").paragraphs == ["Not applicable."]


def test_kazakhstan_2023_heading_with_no_text_under_it_is_an_empty_section(kz):
    # "d. Discrimination (see section 6)" refers the reader elsewhere; the text after it is 7e's.
    assert section(kz, "7d").paragraphs == []
    assert section(kz, "7e").paragraphs[0].startswith("Wage and Hour Laws: The national")


def test_kazakhstan_2023_reads_the_same_whichever_language_the_uploader_picked(kz_text, kz):
    for language in ("kk", "ru", None):
        other = parse(kz_text, language)
        assert same_parse(other) == same_parse(kz), language
        assert other.layout == kz.layout


def test_kazakhstan_2023_dry_run_json_names_the_layout_and_topics(kz):
    shape = kz.to_dict("KZ", 2023, "en")
    assert shape["layout"] == "seven-sections-2023"
    assert shape["mismatches"] == []
    assert shape["paragraphs"] == kz.paragraph_count
    transnational = next(s for s in shape["sections"] if s["code"] == "1f")
    assert transnational["topics"] == ["transnational-repression"]
    assert transnational["parent"] == "1"
    assert transnational["paragraphs"] == 2
    assert transnational["first_words"].startswith("The government engaged in acts of")


def test_andorra_2023_is_detected_as_the_2023_layout_with_its_title(ad):
    assert ad.layout == "seven-sections-2023"
    assert ad.title == "Andorra 2023 Human Rights Report"


def test_andorra_2023_has_every_section_with_its_parent_and_topics(ad):
    assert outline(ad) == AD_OUTLINE


def test_andorra_2023_heading_broken_mid_word_gets_its_full_title(ad):
    # Printed "a. Arbitrary Deprivation of Life and Other Unlawful or" / "P" / "olitically…"
    assert section(ad, "1a").title == (
        "Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings"
    )
    assert section(ad, "1a").paragraphs == [
        "There were no reports that the government or its agents committed arbitrary or "
        "unlawful killings, including extrajudicial killings."
    ]


def test_andorra_2023_not_applicable_sections_keep_their_one_paragraph(ad):
    assert section(ad, "1f").paragraphs == ["Not applicable."]
    assert section(ad, "1g").paragraphs == ["Not applicable."]


def test_andorra_2023_paragraph_counts_a_reader_sees(ad):
    assert {code: counts(ad)[code] for code in AD_COUNTS} == AD_COUNTS


def test_andorra_2023_warns_only_about_the_subsections_it_does_not_print(ad):
    assert ad.warnings == [
        "no heading found for 2f (internally displaced persons)",
        "no heading found for 2g (stateless persons)",
    ]


def test_andorra_2023_loses_no_text_and_keeps_its_order(ad_text, ad):
    body = ad_text.removeprefix(SERIES_LINE_2023 + "\n")
    # A reader reads the broken heading word "P" / "olitically" as one word.
    body = body.replace("\nP\nolitically", "\nPolitically")
    assert words_in_order(ad) == words(body)


def test_andorra_2023_run_in_labels_start_their_paragraphs(ad):
    assert labels_not_starting_a_paragraph(ad, AD_RUN_IN_LABELS) == []


def test_andorra_2023_run_in_label_keeps_its_text_after_one_space(ad):
    prisons = section(ad, "1c-prisons").paragraphs
    assert prisons[1] == (
        "Administration: Authorities conducted proper investigations of credible allegations "
        "of mistreatment."
    )


# --- six sections: the 2001 web page --------------------------------------------------------

REPORT_2001_TITLE = (
    "Kazakhstan",
    "Country Reports on Human Rights Practices - 2001",
    "Released by the Bureau of Democracy, Human Rights, and Labor",
    "March 4, 2002",
)
INTRO_2001 = [
    "Kazakhstan is a republic with a strong presidency. The Constitution, adopted in 1995 by a "
    "referendum that was marred by procedural irregularities, concentrates power in the "
    "presidency, permitting the President to control regional and local governments and to "
    "exercise significant influence over the legislature and the judiciary. President "
    "Nursultan Nazarbayev was elected to a 7-year term in January 1999 in an early election "
    "that fell far short of international standards.",
    "The Committee for National Security (KNB), the Ministry of Internal Affairs (MVD), and the "
    "Financial Police are responsible for internal security. Civilian authorities generally "
    "maintain effective control of the security forces; however, there were some instances in "
    "which elements of the security forces acted independently of government authority. "
    "Members of the security forces committed some human rights abuses.",
    "The country has a population of approximately 14.8 million. The economy continued to "
    "grow rapidly, driven largely by the oil and gas sector, but the benefits of growth were "
    "not widely shared.",
    "The Government's human rights record remained poor; although there were some improvements "
    "in a few areas, serious problems remained. Citizens' right to change their government was "
    "severely restricted. Members of the security forces, including police, beat and otherwise "
    "abused detainees. Prison conditions remained harsh. The Government severely limited "
    "freedom of speech and of the press. Trafficking in women and girls for the purpose of "
    "sexual exploitation was a problem.",
]
BODY_2001 = [
    "Section 1 Respect for the Integrity of the Person, Including Freedom From:",
    "a. Political and Other Extrajudicial Killing",
    "There were no reports of political killings by the Government or its agents; however, "
    "there were credible reports that police beatings resulted in at least two deaths in "
    "custody during the year.",
    "In March a 22-year-old man died in a police station in Almaty; the police claimed that he "
    "had fallen, but his family stated that his body showed signs of beatings. The Procuracy "
    "opened a criminal case against two officers, which was pending at year's end.",
    "b. Disappearance",
    "There were no reports of politically motivated disappearances.",
    "c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment",
    "The Constitution prohibits torture; however, police and prison officials beat and "
    "otherwise abused detainees, usually to obtain confessions. Human rights observers reported "
    "that detainees were often beaten in the first hours of detention.",
    "Prison conditions were harsh and life threatening. Tuberculosis was widespread in "
    "prisons, and facilities were overcrowded and in poor repair. The Government permitted "
    "some prison visits by human rights observers.",
    "d. Arbitrary Arrest, Detention, or Exile",
    "Arbitrary arrest and detention were problems. The Procuracy, rather than the courts, "
    "authorizes arrests, and suspects may be held for up to 72 hours before they are charged.",
    "The Constitution prohibits exile, and the Government did not use it.",
    "e. Denial of Fair Public Trial",
    "Although the Constitution provides for an independent judiciary, the executive branch "
    "limited judicial independence in practice. Prosecutors enjoyed quasi-judicial powers, and "
    "judges were subject to influence from the executive.",
    "There were no reports of political prisoners.",
    "f. Arbitrary Interference with Privacy, Family, Home, or Correspondence",
    "The Constitution and the law provide for the right to privacy; however, the Government "
    "infringed on these rights. Human rights monitors and opposition politicians reported that "
    "their telephones were monitored.",
    "Section 2 Respect for Civil Liberties, Including:",
    "a. Freedom of Speech and Press",
    "The Constitution provides for freedom of speech and of the press; however, the Government "
    "severely limited these rights in practice. The Government owned or controlled most "
    "printing and broadcasting facilities.",
    "Amendments to the media law adopted in March limited the rebroadcast of foreign "
    "programming and made Internet sites subject to the same rules as other mass media.",
    "b. Freedom of Peaceful Assembly and Association",
    "The law provides for freedom of assembly; however, the Government restricted this right "
    "in practice. Organizers of public meetings must apply to local authorities 10 days in "
    "advance.",
    "c. Freedom of Religion",
    "The Constitution provides for freedom of religion, and the Government generally respected "
    "this right in practice for registered religious groups.",
    "d. Freedom of Movement Within the Country, Foreign Travel, Emigration, and Repatriation",
    "The Constitution provides for freedom of movement; however, the Government required "
    "citizens to register their place of residence. Exit visas were required for foreign "
    "travel.",
    "The Government cooperated with the Office of the U.N. High Commissioner for Refugees "
    "(UNHCR); however, it did not grant refugee status to Chechens or Afghans.",
    "Section 3 Respect for Political Rights: The Right of Citizens to Change Their Government",
    "The Constitution provides citizens with the right to change their government; however, "
    "the Government severely limited this right in practice. The 1999 presidential and "
    "parliamentary elections fell far short of international standards.",
    "Women are underrepresented in government. There were 8 women in the 77-seat lower house "
    "of Parliament.",
    "Section 4 Governmental Attitude Regarding International and Nongovernmental "
    "Investigation of Alleged Violations of Human Rights",
    "A number of domestic and international human rights groups generally operated without "
    "government restriction, investigating and publishing their findings; however, some "
    "groups reported harassment by the authorities.",
    "The Government-appointed Human Rights Commission had no legal authority to act on complaints.",
    "Section 5 Discrimination Based on Race, Sex, Religion, Disability, Language, or Social Status",
    "The Constitution prohibits discrimination on the basis of race, sex, religion, "
    "disability, language, or social status; however, the Government did not always enforce "
    "this prohibition effectively.",
    "Women",
    "Domestic violence against women remained a serious problem. Police were often reluctant "
    "to intervene in domestic disputes.",
    "Rape was a problem. According to the MVD, 1,402 rapes were reported during the year.",
    "Children",
    "The Government is committed to children's rights and welfare; however, its resources are "
    "limited. Education is free, universal, and compulsory through the age of 16.",
    "Persons with Disabilities",
    "The law requires that the Government provide for persons with disabilities; however, in "
    "practice the Government did not mandate accessibility for persons with disabilities.",
    "National/Racial/Ethnic Minorities",
    "Ethnic Kazakhs held a disproportionate share of senior government positions, and "
    "ethnic Russians complained of discrimination in employment.",
    "Section 6 Worker Rights",
    "a. The Right of Association",
    "The Constitution and the law provide for the right of workers to organize and join "
    "unions. Most workers remained members of the successor to the Soviet-era official union "
    "federation.",
    "b. The Right to Organize and Bargain Collectively",
    "The law provides for collective bargaining; however, it was not widely practiced.",
    "c. Prohibition of Forced or Bonded Labor",
    "The Constitution prohibits forced or bonded labor, including by children; however, there "
    "were reports that such practices occurred.",
    "d. Status of Child Labor Practices and Minimum Age for Employment",
    "The minimum age for employment is 16 years. Children in rural areas often helped with the "
    "harvest of cotton and tobacco.",
    "e. Acceptable Conditions of Work",
    "The minimum wage was approximately $22 (3,484 tenge) per month, which did not provide a "
    "decent standard of living for a worker and family.",
    "f. Trafficking in Persons",
    "The law does not specifically prohibit trafficking in persons; however, the Criminal Code "
    "prohibits the recruitment of persons for sexual exploitation. Kazakhstan was a country of "
    "origin, transit, and destination for trafficked women and girls.",
]
REPORT_2001 = "\n".join(REPORT_2001_TITLE) + "\n\n" + web_text(*INTRO_2001, *BODY_2001)

OUTLINE_2001 = [
    ("intro", None, "Introduction", []),
    ("1", None, "Respect for the Integrity of the Person, Including Freedom From", []),
    ("1a", "1", "Political and Other Extrajudicial Killing", ["killings"]),
    ("1b", "1", "Disappearance", ["disappearance"]),
    (
        "1c",
        "1",
        "Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment",
        ["torture"],
    ),
    ("1d", "1", "Arbitrary Arrest, Detention, or Exile", ["arrest"]),
    ("1e", "1", "Denial of Fair Public Trial", ["courts"]),
    (
        "1f",
        "1",
        "Arbitrary Interference with Privacy, Family, Home, or Correspondence",
        ["privacy"],
    ),
    ("2", None, "Respect for Civil Liberties, Including", []),
    ("2a", "2", "Freedom of Speech and Press", ["press-freedom"]),
    ("2b", "2", "Freedom of Peaceful Assembly and Association", ["assembly", "association"]),
    ("2c", "2", "Freedom of Religion", ["religion"]),
    (
        "2d",
        "2",
        "Freedom of Movement Within the Country, Foreign Travel, Emigration, and Repatriation",
        ["movement"],
    ),
    (
        "3",
        None,
        "Respect for Political Rights: The Right of Citizens to Change Their Government",
        ["elections"],
    ),
    (
        "4",
        None,
        "Governmental Attitude Regarding International and Nongovernmental Investigation of "
        "Alleged Violations of Human Rights",
        ["ngos"],
    ),
    (
        "5",
        None,
        "Discrimination Based on Race, Sex, Religion, Disability, Language, or Social Status",
        ["discrimination"],
    ),
    ("5-women", "5", "Women", ["women"]),
    ("5-children", "5", "Children", ["children"]),
    ("5-disabilities", "5", "Persons with Disabilities", ["disabilities"]),
    (
        "5-ethnic",
        "5",
        "National/Racial/Ethnic Minorities",
        ["ethnic-minorities", "discrimination"],
    ),
    ("6", None, "Worker Rights", ["labour"]),
    ("6a", "6", "The Right of Association", ["labour", "association"]),
    ("6b", "6", "The Right to Organize and Bargain Collectively", ["labour", "association"]),
    ("6c", "6", "Prohibition of Forced or Bonded Labor", ["forced-labour", "labour"]),
    (
        "6d",
        "6",
        "Status of Child Labor Practices and Minimum Age for Employment",
        ["child-labour", "children", "labour"],
    ),
    ("6e", "6", "Acceptable Conditions of Work", ["working-conditions", "labour"]),
    ("6f", "6", "Trafficking in Persons", ["trafficking"]),
]
# fmt: off
COUNTS_2001 = {
    "intro": 4, "1": 0, "1a": 2, "1b": 1, "1c": 2, "1d": 2, "1e": 2, "1f": 1, "2": 0, "2a": 2,
    "2b": 1, "2c": 1, "2d": 2, "3": 2, "4": 2, "5": 1, "5-women": 2, "5-children": 1,
    "5-disabilities": 1, "5-ethnic": 1, "6": 0, "6a": 1, "6b": 1, "6c": 1, "6d": 1, "6e": 1,
    "6f": 1,
}
# fmt: on


@pytest.fixture(scope="module")
def report_2001():
    return parse(REPORT_2001)


def test_2001_report_is_detected_as_six_sections(report_2001):
    assert report_2001.layout == "six-sections"


def test_2001_report_has_the_outline_a_reader_sees(report_2001):
    assert outline(report_2001) == OUTLINE_2001


def test_2001_report_paragraph_counts(report_2001):
    assert counts(report_2001) == COUNTS_2001


def test_2001_untitled_introduction_is_the_opening_section(report_2001):
    intro = section(report_2001, "intro")
    assert intro.printed_label == ""
    assert intro.paragraphs == INTRO_2001


def test_2001_torture_and_trafficking_carry_their_topics_across_layouts(report_2001):
    assert section(report_2001, "1c").topics == ["torture"]
    assert section(report_2001, "6f").topics == ["trafficking"]
    assert section(report_2001, "6f").parent == "6"
    # The same subjects in the 2023 layout: the topics, not the codes, carry across.
    assert taxonomy.entry("1c", "seven-sections-2023").topics == ("torture",)
    assert taxonomy.entry("6-trafficking", "seven-sections-2023").topics == ("trafficking",)


def test_2001_warns_about_nothing_it_prints(report_2001):
    # 1.g (internal conflicts) is printed only where it applies; its absence is no problem.
    assert [w for w in report_2001.warnings if "mapped" in w or "not in the" in w] == []
    assert [w for w in report_2001.warnings if "no heading found" in w] == []


def test_2001_title_names_the_country_and_the_report_year_not_the_release_date(report_2001):
    title = report_2001.title
    assert title.startswith("Kazakhstan")
    assert "2001" in title
    # "Released by … March 4, 2002" is the release note: 2002 is not the report's year.
    assert "Released" not in title and "2002" not in title
    assert report_2001.mismatches(2001, "en") == []
    assert report_2001.mismatches(2002, "en") != []


def test_2001_loses_no_text_and_keeps_its_order(report_2001):
    body = web_text(*INTRO_2001, *BODY_2001)
    kept = words_in_order(report_2001, unprinted=frozenset({"intro"}))
    title_words = len(words(report_2001.title))
    assert kept[title_words:] == words(body)


def test_2001_banner_before_section_1_changes_no_section():
    """1999–2004 reports print "RESPECT FOR HUMAN RIGHTS" between the introduction and
    Section 1: its words are kept and the outline does not change."""
    banner = "RESPECT FOR HUMAN RIGHTS"
    text = "\n".join(REPORT_2001_TITLE) + "\n\n" + web_text(*INTRO_2001, banner, *BODY_2001)
    report = parse(text)
    assert codes(report) == [row[0] for row in OUTLINE_2001]
    kept = words_in_order(report, unprinted=frozenset({"intro"}))
    assert kept[len(words(report.title)) :] == words(web_text(*INTRO_2001, banner, *BODY_2001))
    intro = section(report, "intro").paragraphs
    assert [p for p in intro if p != banner] == INTRO_2001


def test_2001_unlisted_sub_heading_of_section_5_is_a_sub_heading_not_body_text():
    """ "Religious Minorities" is a 1999–2008 sub-heading of section 5 the layout lacks: its
    text is about religion, not about persons with disabilities before it."""
    position = BODY_2001.index("National/Racial/Ethnic Minorities")
    body = [
        *BODY_2001[:position],
        "Religious Minorities",
        "Some minority religious groups, including Jehovah's Witnesses, reported harassment by "
        "local officials.",
        *BODY_2001[position:],
    ]
    report = parse("\n".join(REPORT_2001_TITLE) + "\n\n" + web_text(*INTRO_2001, *body))
    assert len(section(report, "5-disabilities").paragraphs) == 1
    religious = titled(report, "Religious Minorities")
    assert religious.parent == "5"
    assert religious.topics == ["religion", "discrimination"]
    assert religious.paragraphs == [body[position + 1]]


# --- three sections: a 2024 PDF -----------------------------------------------------------

BLOCKS_2024 = [
    Lines("Kazakhstan 2024 Human Rights Report"),
    Lines("Executive Summary"),
    "There were no significant changes in the human rights situation in Kazakhstan during "
    "the year.",
    "Significant human rights issues included credible reports of:  torture or cruel, "
    "inhuman, or degrading treatment or punishment; arbitrary arrest or detention; "
    "transnational repression against individuals in another country; serious restrictions "
    "on freedom of expression and media freedom, including unjustified arrests or "
    "prosecutions of journalists; and the existence of the worst forms of child labor.",
    "The government took some credible steps to identify and punish officials who may have "
    "committed human rights abuses.",
    Lines("Section 1. Life"),
    Lines("a. Extrajudicial Killings"),
    "There were no reports that the government or its agents committed extrajudicial killings "
    "during the year.",
    "In January, a court in Taraz sentenced two police officers to eight years’ imprisonment "
    "for the 2022 death in custody of a detainee whom they had beaten to obtain a "
    "confession.  The victim’s family said the sentences were too light.",
    Lines("b. Coercion in Population Control"),
    "There were no reports of coerced abortion or involuntary sterilization on the part of "
    "government authorities.",
    Lines("Section 2. Liberty"),
    Lines("a. Freedom of the Press"),
    "The constitution provided for freedom of speech and of the press, but the government "
    "limited freedom of expression and exerted influence on media through detention, "
    "imprisonment, criminal and administrative charges, restrictive laws, harassment, "
    "licensing regulations, and internet restrictions.",
    "Violence and Harassment:  On June 12, unknown attackers beat journalist Aigerim "
    "Sarsenova near her home in Almaty.  Police opened a case for hooliganism but did not "
    "identify any suspects by year’s end.",
    "Censorship or Content Restrictions for Members of the Press and Other Media, Including "
    "Online Media:  Journalists and media outlets exercised self-censorship to avoid pressure "
    "by the government.  A new media law required foreign media to obtain “accreditation” "
    "that authorities could refuse without explanation.",
    Lines("Internet Freedom"),
    "The government exercised comprehensive control over online content and blocked or "
    "slowed access to opposition websites.",
    Lines("b. Worker Rights"),
    "The law provided for the right of workers to form and join unions, but the government "
    "exercised considerable influence on organized labor and favored state-affiliated unions "
    "over independent ones.",
    Lines("Freedom of Association and Collective Bargaining"),
    "A registered sectoral union had to be represented in at least half of the country’s "
    "regions, which prevented the registration of independent unions in the oil sector.",
    Lines("Acceptable Conditions of Work"),
    "The national monthly minimum wage was above the poverty line.  The law limited overtime "
    "to two hours per day and required it to be paid at a 50 percent premium.",
    Lines("c. Disappearance and Abductions"),
    "There were no reports of disappearances by or on behalf of government authorities.",
    Lines("d. Freedom of Peaceful Assembly"),
    "The law provided for some freedom of peaceful assembly, but the government did not "
    "respect it.  Spontaneous gatherings were banned, and organizers had to notify the local "
    "government in advance.",
    Lines("Section 3. Security of the Person"),
    Lines("a. Torture and Cruel, Inhuman, or Degrading Treatment or\nPunishment"),
    "The law prohibited such practices, but there were credible reports that government "
    "officials employed them.  Human rights observers reported torture was particularly "
    "prominent in pretrial facilities, where security personnel sometimes beat detainees to "
    "extract confessions.",
    "In August, the Office of the Human Rights Ombudsman announced it had received 130 "
    "complaints of torture in the first half of the year.",
    Lines("Prison and Detention Center Conditions"),
    "Abusive Physical Conditions:  Observers reported overcrowding, outdated facilities, lack "
    "of appropriate heating, and poor medical services, including for prisoners with HIV.",
    Lines("b. Protection of Children"),
    "Child, Early, and Forced Marriage:  The legal minimum age for marriage was 18, but could "
    "be reduced to 16 in the case of pregnancy or mutual agreement.",
    Lines("c. Protection to Refugees"),
    "The government cooperated with the Office of the UN High Commissioner for Refugees "
    "(UNHCR) in providing protection and assistance to refugees and asylum seekers.",
    "Refoulement:  Human rights defenders reported that authorities deported to Russia a "
    "former officer who had applied for asylum as a conscientious objector.",
    Lines("d. Arbitrary Arrest or Detention"),
    "The law prohibited arbitrary arrest and detention, but the government frequently "
    "arrested and detained political opponents and critics, sometimes for minor infractions "
    "such as unsanctioned assembly.",
    Lines("e. Transnational Repression"),
    "The government engaged in acts of transnational repression to intimidate or exact "
    "reprisal against individuals outside the country.",
    "Threats, Harassment, Surveillance, and Coercion:  Human rights defenders alleged that "
    "authorities prosecuted relatives of an opposition activist living in Europe to force him "
    "to stop his political activities.",
]
REPORT_2024 = pdf_text(*BLOCKS_2024)

OUTLINE_2024 = [
    ("summary", None, "Executive Summary", []),
    ("1", None, "Life", []),
    ("1a", "1", "Extrajudicial Killings", ["killings"]),
    ("1b", "1", "Coercion in Population Control", ["women"]),
    ("2", None, "Liberty", []),
    ("2a", "2", "Freedom of the Press", ["press-freedom"]),
    ("2a-internet", "2a", "Internet Freedom", ["internet"]),
    ("2b", "2", "Worker Rights", ["labour"]),
    (
        "2b-association",
        "2b",
        "Freedom of Association and Collective Bargaining",
        ["labour", "association"],
    ),
    ("2b-conditions", "2b", "Acceptable Conditions of Work", ["working-conditions", "labour"]),
    ("2c", "2", "Disappearance and Abductions", ["disappearance"]),
    # Not in the 2024 outline: kept under its printed letter with the topics of its subject.
    ("2d", "2", "Freedom of Peaceful Assembly", ["assembly"]),
    ("3", None, "Security of the Person", []),
    (
        "3a",
        "3",
        "Torture and Cruel, Inhuman, or Degrading Treatment or Punishment",
        ["torture"],
    ),
    ("3a-prisons", "3a", "Prison and Detention Center Conditions", ["prisons"]),
    ("3b", "3", "Protection of Children", ["children"]),
    ("3c", "3", "Protection to Refugees", ["refugees"]),
    ("3d", "3", "Arbitrary Arrest or Detention", ["arrest"]),
    ("3e", "3", "Transnational Repression", ["transnational-repression"]),
]
# fmt: off
COUNTS_2024 = {
    "summary": 3, "1": 0, "1a": 2, "1b": 1, "2": 0, "2a": 3, "2a-internet": 1, "2b": 1,
    "2b-association": 1, "2b-conditions": 1, "2c": 1, "2d": 1, "3": 0, "3a": 2, "3a-prisons": 1,
    "3b": 1, "3c": 2, "3d": 1, "3e": 2,
}
# fmt: on


@pytest.fixture(scope="module")
def report_2024():
    return parse(REPORT_2024)


def test_2024_report_is_detected_as_three_sections(report_2024):
    assert report_2024.layout == "three-sections"
    assert report_2024.title == "Kazakhstan 2024 Human Rights Report"


def test_2024_report_has_the_outline_a_reader_sees(report_2024):
    assert outline(report_2024) == OUTLINE_2024


def test_2024_report_paragraph_counts(report_2024):
    assert counts(report_2024) == COUNTS_2024


def test_2024_torture_is_3a_with_the_torture_topic(report_2024):
    assert section(report_2024, "3a").topics == ["torture"]
    assert section(report_2024, "3a").printed_label == "a."


def test_2024_unknown_lettered_heading_is_kept_with_its_subjects_topics_and_a_warning(
    report_2024,
):
    assembly = section(report_2024, "2d")
    assert assembly.printed_label == "d."
    assert assembly.paragraphs[0].startswith("The law provided for some freedom of peaceful")
    assert any("'d. Freedom of Peaceful Assembly'" in w and "2d" in w for w in report_2024.warnings)


def test_2024_warns_only_about_the_unknown_heading_and_what_is_not_printed(report_2024):
    assert [w for w in report_2024.warnings if "mapped" in w] == []
    missing = sorted(w for w in report_2024.warnings if w.startswith("no heading found"))
    assert missing == [
        "no heading found for 3f (trafficking)",
        "no heading found for 3g (antisemitism)",
    ]
    assert len(report_2024.warnings) == 3


def test_2024_loses_no_text_and_keeps_its_order(report_2024):
    assert words_in_order(report_2024) == words(REPORT_2024)


def test_2024_heading_broken_mid_word_is_mended_from_the_words_of_the_report():
    """PDF text may break a bold heading inside a word ("Ref" / "ugees"); "refugees" is printed
    whole elsewhere in the report and "ugees" nowhere, so a reader reads "Refugees"."""
    heading = BLOCKS_2024.index(Lines("c. Protection to Refugees"))
    blocks = [
        *BLOCKS_2024[:heading],
        Lines("c. Protection to Ref\nugees"),
        *BLOCKS_2024[heading + 1 :],
    ]
    report = parse(pdf_text(*blocks))
    assert section(report, "3c").title == "Protection to Refugees"
    assert same_parse(report) == same_parse(parse(REPORT_2024))


def test_2024_unknown_heading_with_no_known_subject_is_kept_without_topics():
    """A lettered heading no layout names still opens a section (topics: none), so its text
    is not filed under the subsection before it."""
    position = BLOCKS_2024.index(Lines("Section 3. Security of the Person"))
    blocks = [
        *BLOCKS_2024[:position],
        Lines("e. Climate and Environmental Harms"),
        "There were no reports of government actions to displace communities for mining "
        "projects during the year.",
        *BLOCKS_2024[position:],
    ]
    report = parse(pdf_text(*blocks))
    climate = section(report, "2e")
    assert climate.title == "Climate and Environmental Harms"
    assert climate.parent == "2"
    assert climate.topics == []
    assert len(climate.paragraphs) == 1
    assert len(section(report, "2d").paragraphs) == 1


# --- seven sections with the drift of 2013: a PDF with blank lines -------------------------

BLOCKS_2013 = [
    Lines("RUSSIA 2013 HUMAN RIGHTS REPORT"),
    Lines("EXECUTIVE SUMMARY"),
    "The Russian Federation has a highly centralized, authoritarian political system dominated "
    "by President Vladimir Putin.  The bicameral Federal Assembly consists of a directly "
    "elected lower house (State Duma) and an appointed upper house (Federation Council), both "
    "of which lack independence from the executive.  Authorities maintained effective control "
    "over the security forces.",
    "The government instituted a series of laws and practices that placed increasing "
    "restrictions on civil society.  The most significant human rights problems were "
    "restrictions on citizens’ ability to participate in the political process, limits on "
    "freedom of expression and assembly, and an increasingly repressive environment for civil "
    "society.",
    "The government failed to take adequate steps to prosecute or punish most officials who "
    "committed abuses, resulting in a climate of impunity.",
    Lines("Section 1. Respect for the Integrity of the Person, Including Freedom from:"),
    Lines("a. Arbitrary or Unlawful Deprivation of Life"),
    "There were no reports that the government or its agents committed politically motivated "
    "killings; however, there were reports that security forces killed persons in the course "
    "of counterterrorism operations in the North Caucasus.",
    "Physical abuse by police resulted in several deaths in custody during the year, and "
    "human rights groups reported that investigations of these deaths were rarely thorough.",
    Lines("b. Disappearance"),
    "There were reports of disappearances in the North Caucasus, where the human rights center "
    "Memorial documented dozens of abductions during the year.",
    Lines("c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment"),
    "Although the constitution prohibits such practices, there were numerous credible reports "
    "that law enforcement personnel engaged in torture, abuse, and violence to coerce "
    "confessions from suspects.",
    Lines("Prison and Detention Center Conditions"),
    "Conditions in prisons and detention facilities varied but were often harsh and life "
    "threatening.",
    "Physical Conditions:  Overcrowding, abuse by guards and inmates, inadequate medical care, "
    "and limited access to food were common problems in many facilities.",
    "Administration:  Recordkeeping on prisoners was generally adequate; however, prisoners "
    "did not always have access to an ombudsman who could act on their behalf.",
    Lines("d. Arbitrary Arrest or Detention"),
    "The law prohibits arbitrary arrest and detention; however, authorities at times engaged "
    "in arbitrary arrest and detention, particularly of protesters.",
    Lines("Arrest Procedures and Treatment of Detainees"),
    "By law authorities may arrest and hold a suspect for up to 48 hours without court "
    "approval, provided there is evidence of a crime or a witness; otherwise, a warrant is "
    "required.",
    Lines("e. Denial of Fair Public Trial"),
    "The law provides for an independent judiciary; however, judges remained subject to "
    "influence from the executive branch, the military, and other official actors.",
    Lines("Trial Procedures"),
    "The law provides for the presumption of innocence and the right to a fair and public "
    "trial, but these rights were not always respected.",
    Lines("Political Prisoners and Detainees"),
    "There were reports of political prisoners, including persons convicted in connection with "
    "the May 2012 demonstration on Bolotnaya Square.",
    Lines("Civil Judicial Procedures and Remedies"),
    "Persons could seek civil remedies for human rights violations through the courts; "
    "however, the courts were often reluctant to rule against the state.",
    Lines("f. Arbitrary Interference with Privacy, Family, Home, or Correspondence"),
    "The law forbids officials from entering a private residence except in cases prescribed "
    "by federal law or on the basis of a judicial decision; however, authorities did not "
    "always respect these prohibitions.",
    Lines("g. Use of Excessive Force and Other Abuses in Internal Conflicts"),
    "Armed groups in the North Caucasus continued to attack government personnel and "
    "civilians, and the government’s counterterrorism operations in Dagestan and other "
    "republics resulted in civilian deaths and abuses.",
    "Killings:  Human rights organizations reported that security forces killed civilians "
    "during special operations in Dagestan.",
    Lines("Section 2. Respect for Civil Liberties, Including:"),
    Lines("a. Freedom of Speech and Press"),
    "The constitution provides for freedom of speech and press; however, the government "
    "increasingly restricted these rights, particularly through its control of the major "
    "television networks.",
    "Freedom of Speech:  Authorities used laws against extremism to restrict freedom of "
    "speech, and during the year courts convicted several persons for statements made online.",
    Lines("Internet Freedom"),
    "The government restricted access to some websites and monitored internet "
    "communications.  A law that took effect in November 2012 allowed authorities to block "
    "websites without a court order.",
    Lines("Academic Freedom and Cultural Events"),
    "There were some restrictions on academic freedom, including requirements that academics "
    "obtain permission to meet with foreigners.",
    Lines("b. Freedom of Peaceful Assembly and Association"),
    "The law provides for freedom of assembly and association; however, authorities often "
    "restricted these rights, and a 2012 law increased fines for violations of the rules on "
    "public events.",
    Lines("c. Freedom of Religion"),
    "See the Department of State’s International Religious Freedom Report at "
    "www.state.gov/j/drl/irf/rpt.",
    Lines(
        "d. Freedom of Movement, Internally Displaced Persons, Protection of Refugees, and\n"
        "Stateless Persons"
    ),
    "The law provides for freedom of internal movement, foreign travel, emigration, and "
    "repatriation, and the government generally respected these rights, although there were "
    "some restrictions.",
    Lines(
        "Section 3. Respect for Political Rights: The Right of Citizens to Change Their\nGovernment"
    ),
    "The constitution and law provide citizens the right to change their government through "
    "free and fair elections; however, the government limited this right in practice.",
    Lines("Elections and Political Participation"),
    "Recent Elections:  In the September 8 regional elections, opposition candidate Aleksey "
    "Navalny received 27 percent of the vote in the Moscow mayoral race, according to official "
    "figures.",
    "Political Parties:  A 2012 law reduced the number of members required to register a "
    "political party from 40,000 to 500, and the number of registered parties increased.",
    Lines("Section 4. Corruption and Lack of Transparency in Government"),
    "The law provides criminal penalties for official corruption; however, the government did "
    "not implement the law effectively, and many officials engaged in corrupt practices with "
    "impunity.",
    "Financial Disclosure:  The law requires public officials to submit annual declarations "
    "of income and property for themselves and their family members.",
    Lines(
        "Section 5. Governmental Attitude Regarding International and Nongovernmental\n"
        "Investigation of Alleged Violations of Human Rights"
    ),
    "A number of domestic and international human rights groups operated in the country, "
    "investigating and publishing their findings on human rights cases; however, authorities "
    "subjected many of them to inspections under the foreign agents law.",
    "Government Human Rights Bodies:  The presidential Council for the Development of Civil "
    "Society and Human Rights advises the president on human rights matters.",
    Lines("Section 6. Discrimination, Societal Abuses, and Trafficking in Persons"),
    "The law prohibits discrimination based on race, sex, religion, language, social status, "
    "or other circumstances; however, the government did not effectively enforce the law.",
    Lines("Women"),
    "Rape and Domestic Violence:  Rape is illegal, including spousal rape, and the penalty for "
    "conviction is three to six years in prison; however, many victims did not report rape to "
    "the police.",
    "Sexual Harassment:  No law specifically prohibits sexual harassment, and it was "
    "reportedly widespread.",
    Lines("Children"),
    "Birth Registration:  Citizenship is derived from one’s parents, and the government "
    "registered births promptly.",
    Lines("Anti-Semitism"),
    "The Jewish population was estimated at between 200,000 and one million.  Anti-Semitic "
    "incidents were rare, but there were some reports of vandalism of Jewish cemeteries.",
    Lines("Trafficking in Persons"),
    "See the Department of State’s Trafficking in Persons Report at www.state.gov/j/tip.",
    Lines("Persons with Disabilities"),
    "The law prohibits discrimination against persons with disabilities; however, the "
    "government did not effectively enforce these provisions, and most buildings remained "
    "inaccessible.",
    Lines("National/Racial/Ethnic Minorities"),
    "Racially motivated violence against migrants and persons from the Caucasus and Central "
    "Asia remained a problem.",
    Lines(
        "Acts of Violence, Discrimination, and Other Abuses Based on Sexual Orientation\n"
        "and Gender Identity"
    ),
    "In June the president signed a law banning the propaganda of nontraditional sexual "
    "relations to minors, and violence against lesbian, gay, bisexual, and transgender persons "
    "increased.",
    Lines("HIV and AIDS Social Stigma"),
    "Persons with HIV/AIDS faced discrimination in employment and in access to health care.",
    Lines("Section 7. Worker Rights"),
    Lines("a. Freedom of Association and the Right to Collective Bargaining"),
    "The law provides that workers may form and join independent unions, bargain "
    "collectively, and conduct legal strikes; however, the law prohibits strikes by some "
    "categories of workers.",
    Lines("b. Prohibition of Forced or Compulsory Labor"),
    "The law prohibits forced or compulsory labor; however, there were reports that such "
    "practices occurred, particularly among migrant workers in construction.",
    Lines("c. Prohibition of Child Labor and Minimum Age for Employment"),
    "The law prohibits the employment of children younger than 16 in most cases and regulates "
    "the working conditions of children younger than 18.",
    Lines("d. Acceptable Conditions of Work"),
    "The national minimum wage was 5,205 rubles ($160) per month, which was below the official "
    "subsistence level.",
    "The law provides for a standard workweek of 40 hours, and workers are entitled to at "
    "least 28 days of paid annual leave.",
]
REPORT_2013 = pdf_text(*BLOCKS_2013, width=85, blank_lines=True)

OUTLINE_2013 = [
    ("summary", None, "EXECUTIVE SUMMARY", []),
    ("1", None, "Respect for the Integrity of the Person, Including Freedom from", []),
    ("1a", "1", "Arbitrary or Unlawful Deprivation of Life", ["killings"]),
    ("1b", "1", "Disappearance", ["disappearance"]),
    (
        "1c",
        "1",
        "Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment",
        ["torture"],
    ),
    ("1c-prisons", "1c", "Prison and Detention Center Conditions", ["prisons"]),
    ("1d", "1", "Arbitrary Arrest or Detention", ["arrest"]),
    ("1d-procedures", "1d", "Arrest Procedures and Treatment of Detainees", ["arrest"]),
    ("1e", "1", "Denial of Fair Public Trial", ["courts"]),
    ("1e-trial", "1e", "Trial Procedures", ["courts"]),
    ("1e-political-prisoners", "1e", "Political Prisoners and Detainees", ["political-prisoners"]),
    ("1e-civil", "1e", "Civil Judicial Procedures and Remedies", ["courts"]),
    (
        "1f",
        "1",
        "Arbitrary Interference with Privacy, Family, Home, or Correspondence",
        ["privacy"],
    ),
    ("1g", "1", "Use of Excessive Force and Other Abuses in Internal Conflicts", ["conflict"]),
    ("2", None, "Respect for Civil Liberties, Including", []),
    ("2a", "2", "Freedom of Speech and Press", ["press-freedom"]),
    ("2a-internet", "2a", "Internet Freedom", ["internet"]),
    ("2a-academic", "2a", "Academic Freedom and Cultural Events", ["academic-freedom"]),
    ("2b", "2", "Freedom of Peaceful Assembly and Association", ["assembly", "association"]),
    ("2c", "2", "Freedom of Religion", ["religion"]),
    (
        "2d",
        "2",
        "Freedom of Movement, Internally Displaced Persons, Protection of Refugees, and "
        "Stateless Persons",
        ["movement"],
    ),
    (
        "3",
        None,
        "Respect for Political Rights: The Right of Citizens to Change Their Government",
        ["elections"],
    ),
    ("3-elections", "3", "Elections and Political Participation", ["elections"]),
    ("4", None, "Corruption and Lack of Transparency in Government", ["corruption"]),
    (
        "5",
        None,
        "Governmental Attitude Regarding International and Nongovernmental Investigation of "
        "Alleged Violations of Human Rights",
        ["ngos"],
    ),
    (
        "6",
        None,
        "Discrimination, Societal Abuses, and Trafficking in Persons",
        ["discrimination"],
    ),
    ("6-women", "6", "Women", ["women"]),
    ("6-children", "6", "Children", ["children"]),
    ("6-antisemitism", "6", "Anti-Semitism", ["antisemitism"]),
    ("6-trafficking", "6", "Trafficking in Persons", ["trafficking"]),
    ("6-disabilities", "6", "Persons with Disabilities", ["disabilities"]),
    (
        "6-ethnic",
        "6",
        "National/Racial/Ethnic Minorities",
        ["ethnic-minorities", "discrimination"],
    ),
    (
        "6-lgbti",
        "6",
        "Acts of Violence, Discrimination, and Other Abuses Based on Sexual Orientation and "
        "Gender Identity",
        ["lgbti"],
    ),
    ("6-hiv", "6", "HIV and AIDS Social Stigma", ["discrimination"]),
    ("7", None, "Worker Rights", ["labour"]),
    (
        "7a",
        "7",
        "Freedom of Association and the Right to Collective Bargaining",
        ["labour", "association"],
    ),
    ("7b", "7", "Prohibition of Forced or Compulsory Labor", ["forced-labour", "labour"]),
    (
        "7c",
        "7",
        "Prohibition of Child Labor and Minimum Age for Employment",
        ["child-labour", "children", "labour"],
    ),
    # Printed "d.": mapped by its title to the acceptable-conditions entry.
    ("7e", "7", "Acceptable Conditions of Work", ["working-conditions", "labour"]),
]
# fmt: off
COUNTS_2013 = {
    "summary": 3, "1": 0, "1a": 2, "1b": 1, "1c": 1, "1c-prisons": 3, "1d": 1, "1d-procedures": 1,
    "1e": 1, "1e-trial": 1, "1e-political-prisoners": 1, "1e-civil": 1, "1f": 1, "1g": 2, "2": 0,
    "2a": 2, "2a-internet": 1, "2a-academic": 1, "2b": 1, "2c": 1, "2d": 1, "3": 1,
    "3-elections": 2, "4": 2, "5": 2, "6": 1, "6-women": 2, "6-children": 1, "6-antisemitism": 1,
    "6-trafficking": 1, "6-disabilities": 1, "6-ethnic": 1, "6-lgbti": 1, "6-hiv": 1, "7": 0,
    "7a": 1, "7b": 1, "7c": 1, "7e": 2,
}
# fmt: on
FOOTER_2013 = (
    "Country Reports on Human Rights Practices for 2013",
    "United States Department of State • Bureau of Democracy, Human Rights and Labor",
)


@pytest.fixture(scope="module")
def report_2013():
    return parse(REPORT_2013)


def test_2013_report_is_detected_as_seven_sections(report_2013):
    assert report_2013.layout == "seven-sections"
    assert report_2013.title == "RUSSIA 2013 HUMAN RIGHTS REPORT"


def test_2013_report_has_the_outline_a_reader_sees(report_2013):
    assert outline(report_2013) == OUTLINE_2013


def test_2013_report_paragraph_counts(report_2013):
    assert counts(report_2013) == COUNTS_2013


def test_2013_printed_7d_acceptable_conditions_is_mapped_to_7e_with_a_warning(report_2013):
    conditions = section(report_2013, "7e")
    assert conditions.printed_label == "d."
    assert conditions.topics == ["working-conditions", "labour"]
    assert "printed 'd.' mapped to 7e (conditions of work)" in report_2013.warnings
    assert [w for w in report_2013.warnings if "mapped" in w] == [
        "printed 'd.' mapped to 7e (conditions of work)"
    ]


def test_2013_drifted_titles_still_find_their_entries(report_2013):
    assert section(report_2013, "1g").topics == ["conflict"]
    assert section(report_2013, "6").title.startswith("Discrimination, Societal Abuses, and")
    assert section(report_2013, "6-antisemitism").title == "Anti-Semitism"
    assert section(report_2013, "5").topics == ["ngos"]


def test_2013_loses_no_text_and_keeps_its_order(report_2013):
    assert words_in_order(report_2013) == words(REPORT_2013)


def test_2013_heading_wrapped_before_words_that_name_a_sub_heading_is_one_heading():
    """Wrapped after "…Sexual Orientation and", the 2013 heading's second line "Gender
    Identity" is its continuation, not a sub-heading of its own."""
    wrapped = Lines(
        "Acts of Violence, Discrimination, and Other Abuses Based on Sexual Orientation and\n"
        "Gender Identity"
    )
    position = next(i for i, b in enumerate(BLOCKS_2013) if b.startswith("Acts of Violence"))
    blocks = [*BLOCKS_2013[:position], wrapped, *BLOCKS_2013[position + 1 :]]
    report = parse(pdf_text(*blocks, width=85, blank_lines=True))
    assert same_parse(report) == same_parse(parse(REPORT_2013))
    assert len(section(report, "6-ethnic").paragraphs) == 1


def test_2013_role_of_the_police_is_a_sub_heading_of_1d():
    """Every report from about 2006 to 2019 prints "Role of the Police and Security
    Apparatus" under 1.d: a reader sees a sub-heading about arrests, not a paragraph."""
    blocks = insert_after(
        BLOCKS_2013,
        Lines("d. Arbitrary Arrest or Detention"),
        Lines("Role of the Police and Security Apparatus"),
        "The Ministry of Internal Affairs, the Federal Security Service, the Investigative "
        "Committee, and the Office of the Prosecutor General are responsible for law "
        "enforcement.  Impunity and corruption within the police were significant problems.",
    )
    report = parse(pdf_text(*blocks, width=85, blank_lines=True))
    police = titled(report, "Role of the Police and Security Apparatus")
    assert police.parent == "1d"
    assert "arrest" in police.topics
    assert len(police.paragraphs) == 1
    assert len(section(report, "1d").paragraphs) == 1


def test_2013_sub_headings_freedom_of_assembly_and_of_association_are_found():
    """2013 prints "Freedom of Assembly", where 2023 prints "Freedom of Peaceful Assembly"."""
    blocks = insert_after(
        BLOCKS_2013,
        Lines("b. Freedom of Peaceful Assembly and Association"),
        Lines("Freedom of Assembly"),
        "The law provides for freedom of assembly; however, authorities often restricted this "
        "right.",
        Lines("Freedom of Association"),
        "A 2012 law requires NGOs that receive foreign funding and engage in vaguely defined "
        "political activity to register as foreign agents.",
    )
    report = parse(pdf_text(*blocks, width=85, blank_lines=True))
    assert section(report, "2b-assembly").title == "Freedom of Assembly"
    assert section(report, "2b-assembly").topics == ["assembly"]
    assert section(report, "2b-association").title == "Freedom of Association"
    assert len(section(report, "2b").paragraphs) == 1


def test_2013_refugees_and_stateless_sub_headings_of_2d_carry_their_topics():
    """From about 2010 to 2015, 2.d covers movement, IDPs, refugees and stateless persons under
    unlettered sub-headings: /topics/refugees/ must still list the refugees text."""
    blocks = insert_after(
        BLOCKS_2013,
        Lines(
            "d. Freedom of Movement, Internally Displaced Persons, Protection of Refugees, and\n"
            "Stateless Persons"
        ),
        Lines("Internally Displaced Persons (IDPs)"),
        "According to the Office of the UN High Commissioner for Refugees (UNHCR), approximately "
        "30,000 persons remained internally displaced by the conflicts in Chechnya and North "
        "Ossetia.",
        Lines("Protection of Refugees"),
        "Access to Asylum:  The law provides for the granting of asylum or refugee status, but "
        "the system was not always effective.",
        Lines("Stateless Persons"),
        "According to the 2010 census, there were approximately 178,000 stateless persons in "
        "the country.",
    )
    report = parse(pdf_text(*blocks, width=85, blank_lines=True))
    assert len(section(report, "2d").paragraphs) == 1
    for title, topics in [
        ("Internally Displaced Persons (IDPs)", ["displaced-persons"]),
        ("Protection of Refugees", ["refugees"]),
        ("Stateless Persons", ["statelessness"]),
    ]:
        found = titled(report, title)
        assert found.topics == topics
        assert len(found.paragraphs) == 1


def test_2013_pdf_page_headers_with_page_numbers_are_not_text():
    """2013 PDFs print "RUSSIA 2", "RUSSIA 3"… at the top of each page and the series and the
    Department in the footer: the parse is that of the text without them."""
    paged = paginate(
        REPORT_2013,
        36,
        header=lambda number: f"RUSSIA {number}",
        footer=("", *FOOTER_2013),
        page_numbers=False,
    )
    assert paged.count("RUSSIA 5") == 1
    report = parse(paged)
    assert same_parse(report) == same_parse(parse(REPORT_2013))
    assert not [p for p in all_paragraphs(report) if "RUSSIA" in p]


# --- seven sections in Russian: PDF text of a translation ----------------------------------

BLOCKS_RU = [
    Lines("КАЗАХСТАН 2022: ДОКЛАД О СОБЛЮДЕНИИ ПРАВ ЧЕЛОВЕКА"),
    Lines("КРАТКОЕ ИЗЛОЖЕНИЕ"),
    "Казахстан является республикой с сильной президентской властью.  Конституция "
    "сосредоточивает власть в руках президента, который контролирует правительство, "
    "законодательную власть и судебную систему.",
    "К серьезным проблемам в области прав человека относились достоверные сообщения о пытках "
    "и жестоком, бесчеловечном или унижающем достоинство обращении со стороны правительства; "
    "произвольных арестах и задержаниях; политических заключенных; серьезных ограничениях "
    "свободы выражения мнений и свободы СМИ; а также о наихудших формах детского труда.",
    Lines("Раздел 1. Уважение неприкосновенности личности"),
    Lines(
        "а. Произвольное лишение жизни и другие незаконные или политически\nмотивированные убийства"
    ),
    "Поступали сообщения о том, что правительство или его представители совершали "
    "произвольные или незаконные убийства.  По данным правительства, в ходе январских "
    "беспорядков погибли 238 человек, в том числе 19 сотрудников правоохранительных органов.",
    "Правозащитники заявляли, что власти не провели полного и прозрачного расследования "
    "гибели гражданских лиц в г. Алматы и других городах.",
    Lines("б. Исчезновения"),
    "Не поступало сообщений об исчезновениях, совершенных государственными органами или от "
    "их имени.",
    Lines(
        "в. Пытки и другие жестокие, бесчеловечные или унижающие достоинство\n"
        "виды обращения и наказания, а также другие связанные с ними нарушения"
    ),
    "Закон запрещает такую практику, однако поступали достоверные сообщения о том, что "
    "государственные служащие применяли ее.  Правозащитники сообщали, что пытки особенно "
    "часто применялись в изоляторах временного содержания, где сотрудники избивали "
    "задержанных, чтобы получить признательные показания.",
    "Коалиция НПО против пыток сообщила, что получила более 200 жалоб на пытки, связанных с "
    "январскими событиями.",
    Lines("Условия содержания в тюрьмах и следственных изоляторах"),
    "Условия содержания в тюрьмах оставались суровыми, а учреждения не соответствовали "
    "международным санитарным нормам.",
    "Неудовлетворительные физические условия:  Общественные наблюдательные комиссии и "
    "Национальный превентивный механизм сообщали о переполненности, устаревших зданиях и "
    "плохом медицинском обслуживании.",
    Lines("г. Произвольный арест или задержание"),
    "Закон запрещает произвольные аресты и задержания, однако власти не всегда соблюдали эти "
    "требования.",
    Lines("Процедуры ареста и обращение с задержанными"),
    "Закон разрешает задерживать подозреваемых на срок до 72 часов без предъявления "
    "обвинения.  Правозащитники сообщали, что власти не всегда сразу допускали к задержанным "
    "адвокатов.",
    Lines("д. Отказ в справедливом публичном судебном разбирательстве"),
    "Закон не обеспечивает независимость судебной власти, и исполнительная власть ограничивала "
    "независимость судов на практике.",
    Lines("Политические заключенные и задержанные"),
    "Поступали сообщения о политических заключенных.  Гражданский альянс «Тирек» вел список "
    "лиц, которых он считал политическими заключенными.",
    Lines(
        "е. Произвольное или незаконное вмешательство в частную жизнь, семью,\nжилище или переписку"
    ),
    "Конституция и закон запрещают подобные действия, однако поступали сообщения о том, что "
    "власти не соблюдали эти запреты.",
    Lines("Раздел 2. Уважение гражданских свобод"),
    Lines(
        "а. Свобода выражения мнений, в том числе для представителей прессы и\n"
        "других средств массовой информации"
    ),
    "Конституция предусматривает свободу слова и печати, однако правительство ограничивало "
    "свободу выражения мнений и оказывало влияние на СМИ с помощью задержаний, уголовных и "
    "административных обвинений и ограничительных законов.",
    Lines("Свобода интернета"),
    "Правительство осуществляло всесторонний контроль над онлайн-контентом.  По сообщениям "
    "наблюдателей, власти блокировали или замедляли доступ к сайтам оппозиции.",
    Lines("б. Свобода мирных собраний и объединений"),
    "Правительство ограничивало свободу мирных собраний и объединений.",
    Lines("в. Свобода вероисповедания"),
    "См. доклад Государственного департамента о свободе вероисповедания в мире по адресу "
    "https://www.state.gov/religiousfreedomreport/.",
    Lines("г. Свобода передвижения и право на выезд из страны"),
    "Закон предусматривает свободу передвижения внутри страны, поездок за границу, эмиграции "
    "и репатриации, и правительство в целом соблюдало эти права.",
    Lines("д. Защита беженцев"),
    "Правительство сотрудничало с Управлением Верховного комиссара ООН по делам беженцев (УВКБ "
    "ООН) и другими гуманитарными организациями в предоставлении защиты и помощи беженцам.",
    Lines("е. Положение внутренне перемещенных лиц и обращение с ними"),
    "Неприменимо.",
    Lines("ж. Лица без гражданства"),
    "По данным УВКБ ООН, по состоянию на июнь в стране было официально зарегистрировано 7650 "
    "лиц без гражданства.",
    Lines("Раздел 3. Свобода участия в политическом процессе"),
    "Конституция и закон предоставляют гражданам возможность выбирать свое правительство на "
    "свободных и справедливых периодических выборах, однако правительство серьезно "
    "ограничивало осуществление этого права.",
    Lines("Выборы и участие в политической жизни"),
    "Нарушения в ходе последних выборов:  20 ноября в стране прошли досрочные президентские "
    "выборы.  Наблюдатели ОБСЕ отметили отсутствие реальной конкуренции.",
    Lines("Раздел 4. Коррупция и отсутствие прозрачности в работе правительства"),
    "Закон предусматривает уголовную ответственность за коррупцию должностных лиц, однако "
    "правительство не применяло закон эффективно.",
    "Коррупция:  Коррупция была широко распространена в органах исполнительной власти, "
    "правоохранительных органах и судебной системе.",
    Lines(
        "Раздел 5. Отношение правительства к международным и неправительственным\n"
        "расследованиям предполагаемых нарушений прав человека"
    ),
    "Ряд отечественных и международных правозащитных групп действовал с определенной "
    "свободой, расследуя и публикуя свои выводы о нарушениях прав человека.",
    Lines("Раздел 6. Дискриминация и социальные злоупотребления"),
    Lines("Женщины"),
    "Изнасилование и домашнее насилие:  Закон криминализирует изнасилование, включая "
    "изнасилование супругом.  Правозащитники сообщали, что полиция неохотно реагировала на "
    "такие заявления.",
    "Сексуальные домогательства:  Ни один закон не защищал женщин от сексуальных домогательств.",
    Lines("Систематическое насилие и дискриминация по расовому или этническому\nпризнаку"),
    "Конституция и закон запрещают дискриминацию по признаку расы или этнического происхождения.",
    Lines("Дети"),
    "Жестокое обращение с детьми:  Закон запрещает жестокое обращение с детьми, однако о "
    "таких случаях поступали сообщения.",
    Lines("Антисемитизм"),
    "По оценкам лидеров еврейской общины, численность еврейского населения страны составляла "
    "около 20 000 человек.  Не поступало сообщений об антисемитских инцидентах.",
    Lines("Торговля людьми"),
    "См. доклад Государственного департамента о торговле людьми по адресу "
    "https://www.state.gov/trafficking-in-persons-report/.",
    Lines("Лица с инвалидностью"),
    "Закон запрещает дискриминацию лиц с инвалидностью в сфере занятости, образования и "
    "доступа к медицинской помощи, однако эти законы не всегда применялись на практике.",
    Lines("Раздел 7. Права работников"),
    Lines("а. Свобода объединений и право на ведение коллективных переговоров"),
    "Закон предусматривает право работников создавать профсоюзы и вступать в них, однако "
    "устанавливает ряд ограничений.",
    Lines("б. Запрещение принудительного или обязательного труда"),
    "См. доклад Государственного департамента о торговле людьми по адресу "
    "https://www.state.gov/trafficking-in-persons-report/.",
    Lines("в. Запрещение детского труда и минимальный возраст для приема на работу"),
    "Закон запрещает работу детей младше 16 лет, за исключением легкого труда с согласия "
    "родителей.",
    Lines("г. Дискриминация в сфере труда и занятий"),
    "Закон запрещает дискриминацию в сфере труда, однако женщины получали в среднем на 22 "
    "процента меньше, чем мужчины.",
    Lines("д. Приемлемые условия труда"),
    "Законы о заработной плате и рабочем времени:  Национальная минимальная месячная "
    "заработная плата превышала официальный прожиточный минимум.",
]
REPORT_RU = pdf_text(*BLOCKS_RU)

# fmt: off
CODES_RU = [
    ("summary", []), ("1", []), ("1a", ["killings"]), ("1b", ["disappearance"]),
    ("1c", ["torture"]), ("1c-prisons", ["prisons"]), ("1d", ["arrest"]),
    ("1d-procedures", ["arrest"]), ("1e", ["courts"]),
    ("1e-political-prisoners", ["political-prisoners"]), ("1f", ["privacy"]), ("2", []),
    ("2a", ["press-freedom"]), ("2a-internet", ["internet"]), ("2b", ["assembly", "association"]),
    ("2c", ["religion"]), ("2d", ["movement"]), ("2e", ["refugees"]),
    ("2f", ["displaced-persons"]), ("2g", ["statelessness"]), ("3", ["elections"]),
    ("3-elections", ["elections"]), ("4", ["corruption"]), ("5", ["ngos"]),
    ("6", ["discrimination"]), ("6-women", ["women"]),
    ("6-ethnic", ["ethnic-minorities", "discrimination"]), ("6-children", ["children"]),
    ("6-antisemitism", ["antisemitism"]), ("6-trafficking", ["trafficking"]),
    ("6-disabilities", ["disabilities"]), ("7", ["labour"]), ("7a", ["labour", "association"]),
    ("7b", ["forced-labour", "labour"]), ("7c", ["child-labour", "children", "labour"]),
    ("7d", ["discrimination", "labour"]), ("7e", ["working-conditions", "labour"]),
]
# fmt: on
# fmt: off
COUNTS_RU = {
    "summary": 2, "1a": 2, "1b": 1, "1c": 2, "1c-prisons": 2, "2f": 1, "6-women": 2, "7e": 1,
}
# fmt: on


@pytest.fixture(scope="module")
def report_ru():
    return parse(REPORT_RU, "ru")


def test_russian_report_is_detected_as_seven_sections(report_ru):
    assert report_ru.layout == "seven-sections"
    assert report_ru.title == "КАЗАХСТАН 2022: ДОКЛАД О СОБЛЮДЕНИИ ПРАВ ЧЕЛОВЕКА"
    assert report_ru.detected_language == "ru"


def test_russian_letters_are_read_in_russian_order(report_ru):
    """а, б, в, г, д, е, ж are the 1st to 7th letters: "в." is 1c, "е." is 1f, "ж." is 2g."""
    assert [(s.code, s.topics) for s in report_ru.sections] == CODES_RU
    labels = {s.code: s.printed_label for s in report_ru.sections}
    assert (labels["1c"], labels["1f"], labels["2g"], labels["7d"]) == ("в.", "е.", "ж.", "г.")
    assert [w for w in report_ru.warnings if "mapped" in w] == []


def test_russian_titles_wrapped_over_two_lines_are_whole(report_ru):
    assert section(report_ru, "1c").title == (
        "Пытки и другие жестокие, бесчеловечные или унижающие достоинство виды обращения и "
        "наказания, а также другие связанные с ними нарушения"
    )
    assert section(report_ru, "6-ethnic").title == (
        "Систематическое насилие и дискриминация по расовому или этническому признаку"
    )
    assert section(report_ru, "5").title.endswith("предполагаемых нарушений прав человека")


def test_russian_paragraph_counts_and_run_in_labels(report_ru):
    assert {code: counts(report_ru)[code] for code in COUNTS_RU} == COUNTS_RU
    assert section(report_ru, "2f").paragraphs == ["Неприменимо."]
    assert (
        section(report_ru, "1c-prisons")
        .paragraphs[1]
        .startswith("Неудовлетворительные физические условия: Общественные")
    )
    assert section(report_ru, "1a").paragraphs[1].endswith("в г. Алматы и других городах.")


def test_russian_report_loses_no_text_and_keeps_its_order(report_ru):
    assert words_in_order(report_ru) == words(REPORT_RU)


def test_russian_report_has_the_same_outline_when_its_language_is_detected(report_ru):
    detected = parse(REPORT_RU, None)
    assert same_parse(detected) == same_parse(report_ru)


def test_russian_report_uploaded_as_kazakh_keeps_its_codes_and_says_so(report_ru):
    as_kazakh = parse(REPORT_RU, "kk")
    assert [(s.code, s.topics) for s in as_kazakh.sections] == CODES_RU
    assert as_kazakh.mismatches(2022, "kk") == [
        (
            "The text looks %(found)s but the language chosen is %(chosen)s.",
            {"found": "ru", "chosen": "kk"},
        )
    ]


# --- Markdown saved from the web page --------------------------------------------------------


def real_subsection_as_one_line(text: str, start: str, end: str) -> str:
    """The real report's lines from heading `start` up to heading `end`, as the web page gives
    them when its paragraph marks are lost: one line (a line-end hyphen joins its words)."""
    lines = text.split("\n")
    first = lines.index(start)
    last = lines.index(end, first)
    body = lines[first + 2 : last]  # the heading "a. Freedom …" is printed over two lines
    joined = ""
    for line in body:
        joined += line if joined.endswith("-") or not joined else " " + line
    return joined


@pytest.fixture(scope="module")
def long_2a(kz_text) -> str:
    return real_subsection_as_one_line(
        kz_text, "a. Freedom of Expression, Including for Members of the", "Internet Freedom"
    )


@pytest.fixture(scope="module")
def markdown_report(long_2a) -> str:
    return "\n".join(
        [
            "# 2023 Country Reports on Human Rights Practices: Kazakhstan",
            "",
            "## Executive Summary",
            "",
            "There were no significant changes in the human rights situation in Kazakhstan "
            "during the year.",
            "",
            "Significant human rights issues included credible reports of: torture and cruel, "
            "inhuman, or degrading treatment by the government; arbitrary arrest and detention; "
            "political prisoners; and transnational repression against individuals in another "
            "country.",
            "",
            "## Section 1. Respect for the Integrity of the Person",
            "",
            "### a. Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated "
            "Killings",
            "",
            "There were no reports that the government or its agents committed arbitrary or "
            "unlawful killings, including extrajudicial killings, during the year.",
            "",
            "### b. Disappearance",
            "",
            "There were no reports of disappearances by or on behalf of government authorities.",
            "",
            "### c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and "
            "Other Related Abuses",
            "",
            "The law prohibited such practices, but there were credible reports that government "
            "officials employed them. Cases of prison officers being brought to justice for "
            "abuse were rare, and officers often received light punishment.",
            "",
            "#### Prison and Detention Center Conditions",
            "",
            "Observers reported that prison conditions generally remained harsh and that "
            "facilities did not meet international health standards.",
            "",
            "**Abusive Physical Conditions:** The Public Monitoring Commissions "
            "(quasi-independent bodies that carried out monitoring of prison conditions) and "
            "the National Preventive Mechanism against Torture (NPM) reported overcrowding.",
            "",
            "**Administration**: Human rights observers reported authorities sometimes "
            "conducted proper investigations into allegations of mistreatment.",
            "",
            "### d. Arbitrary Arrest or Detention",
            "",
            "The law prohibited arbitrary arrest and detention and provided for the right of "
            "any person to challenge the lawfulness of their arrest or detention in court. The "
            "government generally did not observe these requirements.",
            "",
            "Human rights observers reported arbitrary arrests of political opponents and "
            "activists continued throughout the year.",
            "",
            "#### Arrest Procedures and Treatment of Detainees",
            "",
            "The law allowed conditional release on bail, although use of bail procedures was "
            "limited.",
            "",
            "### e. Denial of Fair Public Trial",
            "",
            "The law did not provide for an independent judiciary, and both the executive and "
            "judicial branches limited judicial independence in practice.",
            "",
            "#### Political Prisoners and Detainees",
            "",
            "There were several reports of political prisoners and detainees.",
            "",
            "### f. Transnational Repression",
            "",
            "The government engaged in acts of transnational repression to intimidate or exact "
            "reprisal against individuals outside the country.",
            "",
            "### g. Property Seizure and Restitution",
            "",
            "Not applicable.",
            "",
            "### h. Arbitrary or Unlawful Interference with Privacy, Family, Home, or "
            "Correspondence",
            "",
            "The constitution and law prohibited such actions, but there were reports that the "
            "government failed to respect these prohibitions.",
            "",
            "## Section 2. Respect for Civil Liberties",
            "",
            "### a. Freedom of Expression, Including for Members of the Press and Other Media",
            "",
            long_2a,
            "",
            "Internet Freedom",
            "",
            "The government exercised comprehensive control over online content.",
            "",
            "### b. Freedoms of Peaceful Assembly and Association",
            "",
            "The government restricted the freedoms of peaceful assembly and association.",
            "",
            "### c. Freedom of Religion",
            "",
            "See the Department of State’s [International Religious Freedom Report]"
            "(https://www.state.gov/religiousfreedomreport/).",
            "",
            "## Section 3. Freedom to Participate in the Political Process",
            "",
            "The constitution and law provided citizens the ability to choose their government "
            "in free and fair periodic elections, but the government severely limited exercise "
            "of this right.",
            "",
            "## Section 4. Corruption in Government",
            "",
            "**Corruption:** Corruption was widespread in the executive branch, law enforcement "
            "agencies, local government administrations, the education system, and the "
            "judiciary.",
            "",
            "## Section 5. Governmental Posture Towards International and Nongovernmental "
            "Monitoring and Investigation of Alleged Abuses of Human Rights",
            "",
            "Several domestic and international human rights groups operated with some freedom "
            "to investigate and publish their findings on human rights cases.",
            "",
            "## Section 6. Discrimination and Societal Abuses",
            "",
            "Women",
            "",
            "**Rape and Domestic Violence:** The law criminalized sexual abuse and rape.",
            "",
            "Children",
            "",
            "**Child Abuse:** Laws prohibited child abuse, but such incidents were reported.",
            "",
            "#### Trafficking in Persons",
            "",
            "See the Department of State’s [Trafficking in Persons Report]"
            "(https://www.state.gov/trafficking-in-persons-report/).",
            "",
            "## Section 7. Worker Rights",
            "",
            "### a. Freedom of Association and the Right to Collective Bargaining",
            "",
            "The law provided for workers’ rights to form and join unions, but imposed "
            "restrictions.",
            "",
            "### b. Prohibition of Forced or Compulsory Labor",
            "",
            "See the Department of State’s annual [Trafficking in Persons Report]"
            "(https://www.state.gov/trafficking-in-persons-report/).",
            "",
        ]
    )


@pytest.fixture(scope="module")
def markdown(markdown_report):
    return parse(markdown_report)


# fmt: off
MARKDOWN_CODES = [
    "summary", "1", "1a", "1b", "1c", "1c-prisons", "1d", "1d-procedures", "1e",
    "1e-political-prisoners", "1f", "1g", "1h", "2", "2a", "2a-internet", "2b", "2c", "3", "4",
    "5", "6", "6-women", "6-children", "6-trafficking", "7", "7a", "7b",
]
# fmt: on


def test_markdown_page_is_detected_as_the_2023_layout_with_its_title(markdown):
    assert markdown.layout == "seven-sections-2023"
    assert markdown.title == "2023 Country Reports on Human Rights Practices: Kazakhstan"


def test_markdown_headings_of_every_level_and_plain_line_headings_open_sections(markdown):
    assert codes(markdown) == MARKDOWN_CODES
    assert section(markdown, "1c-prisons").parent == "1c"
    assert section(markdown, "6-women").title == "Women"
    assert section(markdown, "2a-internet").parent == "2a"
    assert not [s.title for s in markdown.sections if "#" in s.title]


def test_markdown_bold_run_in_labels_start_their_paragraphs_without_asterisks(markdown):
    prisons = section(markdown, "1c-prisons").paragraphs
    assert len(prisons) == 3
    assert prisons[1].startswith("Abusive Physical Conditions: The Public Monitoring")
    assert prisons[2].startswith("Administration: Human rights observers")
    assert section(markdown, "6-women").paragraphs == [
        "Rape and Domestic Violence: The law criminalized sexual abuse and rape."
    ]
    assert not [p for p in all_paragraphs(markdown) if "**" in p or "](" in p]


def test_markdown_short_paragraphs_one_a_line(markdown):
    assert len(section(markdown, "1d").paragraphs) == 2
    assert section(markdown, "1g").paragraphs == ["Not applicable."]


def test_markdown_subsection_on_one_long_line_is_one_paragraph_and_ends_before_the_next(
    markdown, long_2a
):
    assert len(long_2a) > 9000
    press = section(markdown, "2a").paragraphs
    # The real text prints "Saryagash- inform" (a stray space in a hyphenated name).
    assert press == [" ".join(long_2a.split()).replace("Saryagash- inform", "Saryagash-inform")]
    assert section(markdown, "2a-internet").paragraphs == [
        "The government exercised comprehensive control over online content."
    ]


def test_markdown_links_keep_their_text_and_address(markdown):
    (religion,) = section(markdown, "2c").paragraphs
    assert "International Religious Freedom Report" in religion
    assert "https://www.state.gov/religiousfreedomreport/" in religion


def test_markdown_warns_only_about_subsections_it_does_not_print(markdown):
    assert [w for w in markdown.warnings if not w.startswith("no heading found")] == []


# --- DOCX with heading styles ----------------------------------------------------------------

# (heading level or None for a paragraph, text): the start of the Andorra 2023 report.
DOCX_CONTENT = [
    (0, "Andorra 2023 Human Rights Report"),
    (1, "Executive Summary"),
    (
        None,
        "There were no significant changes in the human rights situation in Andorra during "
        "the year.",
    ),
    (None, "There were no credible reports of significant human rights abuses."),
    (1, "Section 1. Respect for the Integrity of the Person"),
    (
        2,
        "a. Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings",
    ),
    (
        None,
        "There were no reports that the government or its agents committed arbitrary or "
        "unlawful killings, including extrajudicial killings.",
    ),
    (2, "b. Disappearance"),
    (
        None,
        "There were no reports of disappearances by or on behalf of government authorities.",
    ),
    (
        2,
        "c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other "
        "Related Abuses",
    ),
    (
        None,
        "The constitution and law prohibited such practices, and there were no credible "
        "reports that government officials employed them.",
    ),
    (3, "Prison and Detention Center Conditions"),
    (
        None,
        "There were no significant reports regarding prison or detention center conditions "
        "that raised human rights concerns.",
    ),
    (
        None,
        "Administration:  Authorities conducted proper investigations of credible allegations "
        "of mistreatment.",
    ),
    (
        None,
        "Independent Monitoring:  The government permitted visits by independent human rights "
        "observers.",
    ),
    (2, "d. Arbitrary Arrest or Detention"),
    (
        None,
        "The constitution and law prohibited arbitrary arrest and detention.  The government "
        "generally observed these requirements.",
    ),
    (2, "f. Transnational Repression"),
    (None, "Not applicable."),
    (1, "Section 6. Discrimination and Societal Abuses"),
    (3, "Women"),
    (
        None,
        "Rape and Domestic Violence:  The law prohibited rape regardless of gender, including "
        "spousal rape, punishable by up to 15 years’ imprisonment.",
    ),
    (3, "Children"),
    (
        None,
        "Child Abuse:  The law prohibited child abuse and punished perpetrators with three "
        "months to six years’ imprisonment.",
    ),
    (1, "Section 7. Worker Rights"),
    (2, "a. Freedom of Association and the Right to Collective Bargaining"),
    (
        None,
        "The constitution and law provided for workers to form and join independent trade unions.",
    ),
]
RUN_IN = re.compile(r"^([^:]{3,80}:)(\s+.*)$")


def docx_bytes(content) -> bytes:
    """A Word document with heading styles, run-in labels in bold, as Word saves it."""
    document = docx.Document()
    for level, text in content:
        if level is not None:
            document.add_heading(text, level)
            continue
        paragraph = document.add_paragraph()
        run_in = RUN_IN.match(text)
        if run_in:
            paragraph.add_run(run_in.group(1)).bold = True
            paragraph.add_run(run_in.group(2))
        else:
            paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_version(content) -> str:
    """The same content as PDF text: headings wrapped at 60 columns (a larger font),
    paragraphs at 80, no blank lines."""
    blocks = [
        Lines("\n".join(textwrap.wrap(text, 60))) if level is not None else text
        for level, text in content
    ]
    return pdf_text(*blocks)


def test_docx_with_heading_styles_has_the_same_outline_as_its_pdf_text():
    text = read_report(docx_bytes(DOCX_CONTENT), "andorra-2023.docx")
    from_docx = parse(text)
    from_pdf = parse(pdf_version(DOCX_CONTENT))
    assert from_docx.layout == from_pdf.layout == "seven-sections-2023"
    assert from_docx.title == from_pdf.title == "Andorra 2023 Human Rights Report"
    assert same_parse(from_docx) == same_parse(from_pdf)
    assert codes(from_docx) == [
        "summary",
        "1",
        "1a",
        "1b",
        "1c",
        "1c-prisons",
        "1d",
        "1f",
        "6",
        "6-women",
        "6-children",
        "7",
        "7a",
    ]
    assert counts(from_docx)["1c-prisons"] == 3


def test_docx_bold_run_in_labels_start_their_paragraphs():
    report = parse(read_report(docx_bytes(DOCX_CONTENT), "andorra-2023.docx"))
    assert section(report, "1c-prisons").paragraphs[1] == (
        "Administration: Authorities conducted proper investigations of credible allegations "
        "of mistreatment."
    )
    assert section(report, "6-children").paragraphs[0].startswith("Child Abuse: The law")


def test_docx_loses_no_text_and_keeps_its_order():
    text = read_report(docx_bytes(DOCX_CONTENT), "andorra-2023.docx")
    report = parse(text)
    assert words_in_order(report) == words(" ".join(text for _, text in DOCX_CONTENT))


# --- PDF text with its page furniture ---------------------------------------------------------

FOOTER_2023 = (
    "Country Reports on Human Rights Practices for 2023",
    "United States Department of State • Bureau of Democracy, Human Rights, and Labor",
)


@pytest.mark.parametrize("form_feed", [True, False], ids=["form-feed", "pasted"])
@pytest.mark.parametrize("page_numbers", [False, True], ids=["unnumbered", "numbered"])
def test_kazakhstan_2023_with_page_headers_and_footers_parses_as_without(
    kz_text, kz, form_feed, page_numbers
):
    """Every page of the PDF ends with the series and the Department (and maybe a page
    number) and starts with "KAZAKHSTAN 2023 HUMAN RIGHTS REPORT"; pages break inside
    paragraphs and headings. Without form feeds the text was copied from a PDF viewer."""
    paged = paginate(
        kz_text,
        46,
        header="KAZAKHSTAN 2023 HUMAN RIGHTS REPORT",
        footer=FOOTER_2023,
        page_numbers=page_numbers,
        form_feed=form_feed,
    )
    report = parse(paged)
    assert report.title == "Kazakhstan 2023 Human Rights Report"
    assert report.warnings == kz.warnings
    assert same_parse(report) == same_parse(kz)


@pytest.mark.parametrize("page_numbers", [False, True], ids=["unnumbered", "numbered"])
def test_andorra_2023_with_page_furniture_parses_as_without(ad_text, ad, page_numbers):
    paged = paginate(
        ad_text,
        40,
        header="ANDORRA 2023 HUMAN RIGHTS REPORT",
        footer=FOOTER_2023,
        page_numbers=page_numbers,
    )
    report = parse(paged)
    assert same_parse(report) == same_parse(ad)


def test_2001_report_printed_from_the_browser_parses_as_without_its_page_furniture():
    """Reports before 2004 circulate as browser printouts of the web page: every page is
    headed "Kazakhstan Page 3 of 9" and ends with the page's address and the print date."""
    headings = (block if block.endswith(".") else Lines(block) for block in BODY_2001)
    printed = pdf_text(
        Lines("\n".join(REPORT_2001_TITLE)), *INTRO_2001, *headings, width=95, blank_lines=True
    )
    pages = -(-printed.count("\n") // 40)
    paged = paginate(
        printed,
        40,
        header=lambda number: f"Kazakhstan Page {number} of {pages}",
        footer=("", "http://www.state.gov/g/drl/rls/hrrpt/2001/eur/8265.htm 3/18/2002"),
        page_numbers=False,
    )
    first_page_header = f"Kazakhstan Page 1 of {pages}\n"
    unpaged = parse(printed)
    assert outline(unpaged) == OUTLINE_2001 and counts(unpaged) == COUNTS_2001
    report = parse(first_page_header + paged)
    assert same_parse(report) == same_parse(unpaged)
    assert not [p for p in all_paragraphs(report) if "Page " in p or "hrrpt" in p]


def test_pdf_text_artefacts_curly_quotes_two_spaces_split_year_and_broken_heading():
    text = pdf_text(
        Lines(SERIES_LINE_2023),
        Lines("Andorra 2023 Human Rights Report"),
        Lines("Executive Summary"),
        "There were no significant changes in the human rights situation in Andorra during "
        "the year.",
        Lines("Section 1. Respect for the Integrity of the Person"),
        Lines(
            "a. Arbitrary Deprivation of Life and Other Unlawful or\n"
            "P\n"
            "olitically Motivated Killings"
        ),
        "There were no reports that the government or its agents committed arbitrary or "
        "unlawful killings.  Media reported the ombudsman’s “deep concern” over one death in "
        "custody, which was under investigation.",
        Lines(
            "c. Torture and Other Cruel, Inhuman, or Degrading\n"
            "Treatment or Punishment, and Other Related Abuses"
        ),
        "The constitution and law prohibited such practices.",
    )
    report = parse(text)
    assert report.title == "Andorra 2023 Human Rights Report"
    assert "2023" in report.title and "202 3" not in report.title
    assert section(report, "1a").title.endswith("Unlawful or Politically Motivated Killings")
    assert section(report, "1c").title.endswith("and Other Related Abuses")
    assert section(report, "1a").paragraphs == [
        "There were no reports that the government or its agents committed arbitrary or "
        "unlawful killings. Media reported the ombudsman’s “deep concern” over one death in "
        "custody, which was under investigation."
    ]
    assert report.mismatches(2023, "en") == []


# --- bad input ----------------------------------------------------------------------------


def test_sentence_before_the_summary_heading_gives_one_summary_section():
    text = pdf_text(
        "This report was downloaded from the State Department website on June 3, 2024.",
        Lines("Executive Summary"),
        "There were no significant changes in the human rights situation in Kazakhstan during "
        "the year.",
        Lines("Section 1. Respect for the Integrity of the Person"),
        Lines("b. Disappearance"),
        "There were no reports of disappearances by or on behalf of government authorities.",
    )
    report = parse(text)
    assert [s.code for s in report.sections].count("summary") == 1
    summary = section(report, "summary")
    assert summary.title == "Executive Summary"
    assert summary.paragraphs == [
        "This report was downloaded from the State Department website on June 3, 2024.",
        "There were no significant changes in the human rights situation in Kazakhstan during "
        "the year.",
    ]
    assert codes(report) == ["summary", "1", "1b"]


def test_summary_heading_printed_twice_gives_one_summary_section():
    """A PDF viewer's copy of the first page can repeat the heading of the page it left."""
    text = pdf_text(
        Lines("Kazakhstan 2023 Human Rights Report"),
        Lines("Executive Summary"),
        "There were no significant changes in the human rights situation in Kazakhstan during "
        "the year.",
        Lines("Executive Summary"),
        "The government took some credible steps to identify and punish officials who may have "
        "committed human rights abuses.",
        Lines("Section 1. Respect for the Integrity of the Person"),
        Lines("b. Disappearance"),
        "There were no reports of disappearances by or on behalf of government authorities.",
    )
    report = parse(text)
    assert [s.code for s in report.sections].count("summary") == 1


def test_headings_only_file_is_refused():
    headings = [Lines(text) for level, text in DOCX_CONTENT if level is not None]
    with pytest.raises(IngestError, match="no paragraphs"):
        parse_report(pdf_text(*headings), "en")


def test_text_without_headings_is_refused():
    text = pdf_text(*INTRO_2001)
    with pytest.raises(IngestError, match="no recognizable section headings"):
        parse_report(text, "en")


def test_title_year_other_than_the_chosen_year_is_flagged(kz):
    assert kz.mismatches(2022, "en") == [
        (
            "The title says %(found)s but the year chosen is %(year)s.",
            {"found": "2023", "year": 2022},
        )
    ]
    assert kz.to_dict("KZ", 2022, "en")["mismatches"][0]["message"] == (
        "The title says 2023 but the year chosen is 2022."
    )


def test_english_text_uploaded_as_kazakh_is_flagged(kz_text):
    as_kazakh = parse(kz_text, "kk")
    assert as_kazakh.mismatches(2023, "kk") == [
        (
            "The text looks %(found)s but the language chosen is %(chosen)s.",
            {"found": "en", "chosen": "kk"},
        )
    ]
    assert as_kazakh.to_dict("KZ", 2023, "kk")["mismatches"][0]["message"] == (
        "The text looks English but the language chosen is Kazakh."
    )


# --- linearity (paragraph counts, not time) -----------------------------------------------

BLOCK = [
    "On March 3, police detained 12 activists who had gathered near the akimat to protest "
    "rising utility prices; a court fined each of them the following day.",
    "Administration:  Authorities did not investigate the complaints of mistreatment the "
    "activists filed with the prosecutor’s office.",
    "Not applicable.",
]


def report_with_copies(copies: int, form: str) -> str:
    """A report whose 1.d holds `copies` copies of BLOCK, as web text or as a DOCX's text."""
    content = [
        (0, "Kazakhstan 2023 Human Rights Report"),
        (1, "Section 1. Respect for the Integrity of the Person"),
        (2, "d. Arbitrary Arrest or Detention"),
        *[(None, paragraph) for paragraph in BLOCK * copies],
    ]
    if form == "docx":
        return read_report(docx_bytes(content), "copies.docx")
    return web_text(*(text for _, text in content))


@pytest.mark.parametrize("form", ["web-text", "docx"])
def test_n_copies_of_a_block_give_n_times_its_paragraphs(form):
    for copies in (1, 10, 1000):
        report = parse(report_with_copies(copies, form))
        assert codes(report) == ["1", "1d"]
        assert len(section(report, "1d").paragraphs) == len(BLOCK) * copies
        assert section(report, "1d").paragraphs[-3:] == [" ".join(p.split()) for p in BLOCK]
        assert report.paragraph_count == len(BLOCK) * copies


# =============================================================================================
# Second QA round: other countries, years, languages and formats
# =============================================================================================
#
# The inputs below are written the way the real reports read: other countries' reports in each
# layout, the 2024 edition as printed, Kazakh and Russian translations of 2023, the PDF text
# quirks pdftotext and copy-paste produce, and Markdown as converters write it.


# A run-in label as printed: capitalised words (small ones aside), a colon and two spaces.
_LABEL_WORD = r"(?:\(?[A-Z][\w’'/,()-]*|of|and|or|the|to|for|in|on|with|before|a)"
PRINTED_RUN_IN = re.compile(rf"^[A-Z][\w’'/,()-]*(?: {_LABEL_WORD})*:  ")


def check_blocks(blocks, width: int = 80) -> None:
    """Guard the test data, not the parser: every paragraph followed by another paragraph ends
    on a visibly short line, as in the real reports' PDF text. (A paragraph whose last line is
    full, with no blank line after it, is ambiguous for a reader of PDF text too.)"""
    bad = []
    for position in range(len(blocks) - 1):
        block, following = blocks[position], blocks[position + 1]
        if isinstance(block, Lines) or isinstance(following, Lines):
            continue
        if PRINTED_RUN_IN.match(following):
            continue  # a bold run-in label ("Pretrial Detention:  …") shows the break
        last = textwrap.wrap(block, width)[-1]
        if len(last) + 1 + len(following.split()[0]) >= 0.88 * width:
            bad.append(last)
    assert not bad, f"test data: paragraphs ending on a full line: {bad}"


# --- seven sections, a small country: Liechtenstein 2019 -----------------------------------

BLOCKS_LI_2019 = [
    Lines("LIECHTENSTEIN 2019 HUMAN RIGHTS REPORT"),
    Lines("EXECUTIVE SUMMARY"),
    "The Principality of Liechtenstein is a constitutional, hereditary monarchy.  Hereditary "
    "Prince Alois exercises the official duties of the head of state.  The unicameral "
    "Parliament (Landtag) consists of 25 deputies elected every four years.  Observers "
    "considered the 2017 elections free and fair.",
    "The national police maintain internal security.  The police report to the Ministry of "
    "Home Affairs.  Civilian authorities maintained effective control over the police.",
    "There were no reports of egregious human rights abuses.",
    Lines("Section 1. Respect for the Integrity of the Person, Including Freedom from:"),
    Lines("a. Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated\nKillings"),
    "There were no reports that the government or its agents committed arbitrary or unlawful "
    "killings.",
    Lines("b. Disappearance"),
    "There were no reports of disappearances by or on behalf of government authorities.",
    Lines("c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment"),
    "The constitution and law prohibit such practices, and there were no reports that "
    "government officials employed them.",
    Lines("Prison and Detention Center Conditions"),
    "There were no significant reports regarding prison or detention center conditions that "
    "raised human rights concerns.",
    "Physical Conditions:  There were no major concerns in prisons and detention centers "
    "regarding physical conditions or inmate abuse.  The country has one prison, in Vaduz.",
    "Administration:  Authorities conducted proper investigations of credible allegations of "
    "mistreatment.",
    "Independent Monitoring:  The government permitted monitoring by independent nongovernmental "
    "observers.",
    Lines("d. Arbitrary Arrest or Detention"),
    "The constitution and law prohibit arbitrary arrest and detention and provide for the "
    "right of any person to challenge the lawfulness of his or her arrest or detention in "
    "court, and the government generally observed these requirements.",
    Lines("Role of the Police and Security Apparatus"),
    "The national police are responsible for maintaining order and have a staff of about 100 "
    "officers.  The country has no army.",
    Lines("Arrest Procedures and Treatment of Detainees"),
    "Authorities base arrests on warrants issued by a duly authorized official.  Police must "
    "bring a detainee before a judge within 48 hours.",
    Lines("e. Denial of Fair Public Trial"),
    "The constitution provides for an independent judiciary, and the government generally "
    "respected judicial independence and impartiality.",
    Lines("Trial Procedures"),
    "The constitution and law provide for the right to a fair and public trial, and an "
    "independent judiciary generally enforced this right.",
    Lines("Political Prisoners and Detainees"),
    "There were no reports of political prisoners or detainees.",
    Lines("Civil Judicial Procedures and Remedies"),
    "Individuals and organizations may seek civil remedies for human rights violations and "
    "may appeal to the European Court of Human Rights.",
    Lines("Property Restitution"),
    "The government has laws and mechanisms in place, and NGOs and advocacy groups reported "
    "that the government has made significant progress on resolution of Holocaust-era claims.",
    Lines("f. Arbitrary or Unlawful Interference with Privacy, Family, Home, or\nCorrespondence"),
    "The constitution and law prohibit such actions, and there were no reports that the "
    "government failed to respect these prohibitions.",
    Lines("Section 2. Respect for Civil Liberties, Including:"),
    Lines("a. Freedom of Expression, Including for the Press"),
    "The constitution provides for freedom of expression, including for the press, and the "
    "government generally respected this right.",
    "Freedom of Expression:  The law prohibits public incitement to hatred or discrimination "
    "against a group of persons on the grounds of race, language, ethnicity, or religion.",
    Lines("Internet Freedom"),
    "The government did not restrict or disrupt access to the internet or censor online content.",
    Lines("Academic Freedom and Cultural Events"),
    "There were no government restrictions on academic freedom or cultural events.",
    Lines("b. Freedoms of Peaceful Assembly and Association"),
    "The constitution provides for the freedoms of peaceful assembly and association, and the "
    "government generally respected these rights.",
    Lines("c. Freedom of Religion"),
    "See the Department of State’s International Religious Freedom Report at "
    "https://www.state.gov/religiousfreedomreport/.",
    Lines("d. Freedom of Movement"),
    "The constitution provides for freedom of internal movement, foreign travel, emigration, "
    "and repatriation, and the government generally respected these rights.",
    Lines("e. Internally Displaced Persons"),
    "Not applicable.",
    Lines("f. Protection of Refugees"),
    "The government cooperated with the Office of the UN High Commissioner for Refugees.",
    "Access to Asylum:  The law provides for the granting of asylum or refugee status, and the "
    "government has established a system for providing protection to refugees.",
    Lines("g. Stateless Persons"),
    "Not applicable.",
    Lines("Section 3. Freedom to Participate in the Political Process"),
    "The constitution and law provide citizens the ability to choose their government in free "
    "and fair periodic elections held by secret ballot and based on universal and equal "
    "suffrage.",
    Lines("Elections and Political Participation"),
    "Recent Elections:  Observers considered the 2017 parliamentary elections free and fair.",
    "Participation of Women and Members of Minority Groups:  No laws limit participation of "
    "women or members of minority groups in the political process, and they did participate.",
    Lines("Section 4. Corruption and Lack of Transparency in Government"),
    "The law provides criminal penalties for corruption by officials, and the government "
    "generally implemented the law effectively.",
    "Financial Disclosure:  Public officials are not subject to financial disclosure laws.",
    Lines(
        "Section 5. Governmental Posture Towards International and Nongovernmental\n"
        "Investigation of Alleged Abuses of Human Rights"
    ),
    "A variety of domestic and international human rights groups generally operated without "
    "government restriction.",
    "Government Human Rights Bodies:  The Liechtenstein Human Rights Association acts as the "
    "country’s independent human rights institution.",
    Lines("Section 6. Discrimination, Societal Abuses, and Trafficking in Persons"),
    Lines("Women"),
    "Rape and Domestic Violence:  The law criminalizes rape, including spousal rape, and "
    "domestic violence.  The government enforced the law.",
    "Sexual Harassment:  The law prohibits sexual harassment.  There were no reports of it.",
    "Coercion in Population Control:  There were no reports of coerced abortion or "
    "involuntary sterilization on the part of government authorities.",
    Lines("Children"),
    "Birth Registration:  Citizenship is derived from one’s parents.  The government "
    "registers all births immediately.",
    "Child, Early, and Forced Marriage:  The minimum age of marriage is 18 for both sexes.",
    Lines("Anti-Semitism"),
    "The Jewish community numbered fewer than 30 persons.  There were no reports of "
    "anti-Semitic acts.",
    Lines("Trafficking in Persons"),
    "There were no confirmed reports during the year that Liechtenstein was a source, "
    "transit, or destination country for trafficking in persons.",
    Lines("Persons with Disabilities"),
    "The law prohibits discrimination against persons with physical, sensory, intellectual, "
    "and mental disabilities.",
    Lines(
        "Acts of Violence, Discrimination, and Other Abuses Based on Sexual Orientation and\n"
        "Gender Identity"
    ),
    "The law prohibits discrimination based on sexual orientation and gender identity.",
    Lines("Section 7. Worker Rights"),
    Lines("a. Freedom of Association and the Right to Collective Bargaining"),
    "The law provides for the right of workers to form and join independent unions, bargain "
    "collectively, and conduct legal strikes.",
    Lines("b. Prohibition of Forced or Compulsory Labor"),
    "The law prohibits all forms of forced or compulsory labor.",
    Lines("c. Prohibition of Child Labor and Minimum Age for Employment"),
    "The law prohibits all of the worst forms of child labor.  The minimum age for employment "
    "is 15.",
    Lines("d. Discrimination with Respect to Employment and Occupation"),
    "The law prohibits discrimination with respect to employment and occupation.",
    Lines("e. Acceptable Conditions of Work"),
    "There is no national minimum wage.  The law sets the maximum workweek at 45 hours.",
    "Occupational Safety and Health:  The law sets appropriate safety and health standards.",
]
REPORT_LI_2019 = pdf_text(*BLOCKS_LI_2019)

# fmt: off
OUTLINE_LI_2019 = [
    ("summary", None, []),
    ("1", None, []),
    ("1a", "1", ["killings"]),
    ("1b", "1", ["disappearance"]),
    ("1c", "1", ["torture"]),
    ("1c-prisons", "1c", ["prisons"]),
    ("1d", "1", ["arrest"]),
    ("1d-police", "1d", ["arrest"]),
    ("1d-procedures", "1d", ["arrest"]),
    ("1e", "1", ["courts"]),
    ("1e-trial", "1e", ["courts"]),
    ("1e-political-prisoners", "1e", ["political-prisoners"]),
    ("1e-civil", "1e", ["courts"]),
    ("1e-property", "1e", ["property"]),
    ("1f", "1", ["privacy"]),
    ("2", None, []),
    ("2a", "2", ["press-freedom"]),
    ("2a-internet", "2a", ["internet"]),
    ("2a-academic", "2a", ["academic-freedom"]),
    ("2b", "2", ["assembly", "association"]),
    ("2c", "2", ["religion"]),
    ("2d", "2", ["movement"]),
    # 2019 prints IDPs as e. and refugees as f.: the codes follow the subjects.
    ("2f", "2", ["displaced-persons"]),
    ("2e", "2", ["refugees"]),
    ("2g", "2", ["statelessness"]),
    ("3", None, ["elections"]),
    ("3-elections", "3", ["elections"]),
    ("4", None, ["corruption"]),
    ("5", None, ["ngos"]),
    ("6", None, ["discrimination"]),
    ("6-women", "6", ["women"]),
    ("6-children", "6", ["children"]),
    ("6-antisemitism", "6", ["antisemitism"]),
    ("6-trafficking", "6", ["trafficking"]),
    ("6-disabilities", "6", ["disabilities"]),
    ("6-lgbti", "6", ["lgbti"]),
    ("7", None, ["labour"]),
    ("7a", "7", ["labour", "association"]),
    ("7b", "7", ["forced-labour", "labour"]),
    ("7c", "7", ["child-labour", "children", "labour"]),
    ("7d", "7", ["discrimination", "labour"]),
    ("7e", "7", ["working-conditions", "labour"]),
]
COUNTS_LI_2019 = {
    "summary": 3, "1": 0, "1a": 1, "1b": 1, "1c": 1, "1c-prisons": 4, "1d": 1, "1d-police": 1,
    "1d-procedures": 1, "1e": 1, "1e-trial": 1, "1e-political-prisoners": 1, "1e-civil": 1,
    "1e-property": 1, "1f": 1, "2": 0, "2a": 2, "2a-internet": 1, "2a-academic": 1, "2b": 1,
    "2c": 1, "2d": 1, "2f": 1, "2e": 2, "2g": 1, "3": 1, "3-elections": 2, "4": 2, "5": 2,
    "6": 0, "6-women": 3, "6-children": 2, "6-antisemitism": 1, "6-trafficking": 1,
    "6-disabilities": 1, "6-lgbti": 1, "7": 0, "7a": 1, "7b": 1, "7c": 1, "7d": 1, "7e": 2,
}
# fmt: on


@pytest.fixture(scope="module")
def report_li_2019():
    check_blocks(BLOCKS_LI_2019)
    return parse(REPORT_LI_2019)


def test_liechtenstein_2019_is_detected_as_seven_sections_with_its_title(report_li_2019):
    assert report_li_2019.layout == "seven-sections"
    assert report_li_2019.title == "LIECHTENSTEIN 2019 HUMAN RIGHTS REPORT"


def test_liechtenstein_2019_has_the_outline_a_reader_sees(report_li_2019):
    assert [(s.code, s.parent, s.topics) for s in report_li_2019.sections] == OUTLINE_LI_2019


def test_liechtenstein_2019_titles_are_the_printed_headings(report_li_2019):
    printed = [b for b in BLOCKS_LI_2019[1:] if isinstance(b, Lines)]
    expected = [re.sub(r"^(Section \d\.|[a-g]\.) ", "", " ".join(h.split("\n"))) for h in printed]
    expected = [t.rstrip(":") for t in expected]
    assert [s.title for s in report_li_2019.sections] == expected


def test_liechtenstein_2019_paragraph_counts(report_li_2019):
    assert counts(report_li_2019) == COUNTS_LI_2019


def test_liechtenstein_2019_one_line_answers_stay_whole_paragraphs(report_li_2019):
    assert section(report_li_2019, "2f").paragraphs == ["Not applicable."]
    assert section(report_li_2019, "2g").paragraphs == ["Not applicable."]
    assert section(report_li_2019, "1e-political-prisoners").paragraphs == [
        "There were no reports of political prisoners or detainees."
    ]
    assert section(report_li_2019, "summary").paragraphs[-1] == (
        "There were no reports of egregious human rights abuses."
    )


def test_liechtenstein_2019_run_in_coercion_in_population_control_is_a_paragraph_of_women(
    report_li_2019,
):
    """Until 2022 "Coercion in Population Control:" is a run-in paragraph under Women, not the
    2024 subsection of that name."""
    women = section(report_li_2019, "6-women").paragraphs
    assert women[2].startswith("Coercion in Population Control: There were no reports")


def test_liechtenstein_2019_swapped_refugees_and_idps_are_mapped_by_title(report_li_2019):
    assert section(report_li_2019, "2f").title == "Internally Displaced Persons"
    assert section(report_li_2019, "2f").printed_label == "e."
    assert section(report_li_2019, "2e").title == "Protection of Refugees"
    assert section(report_li_2019, "2e").printed_label == "f."
    assert section(report_li_2019, "2e").paragraphs[1].startswith("Access to Asylum:")


def test_liechtenstein_2019_warns_only_about_the_letters_it_corrects(report_li_2019):
    problems = [
        w
        for w in report_li_2019.warnings
        if "mapped" not in w and not w.startswith("no heading found")
    ]
    assert problems == []


def test_liechtenstein_2019_loses_no_text_and_keeps_its_order(report_li_2019):
    assert words_in_order(report_li_2019) == words(REPORT_LI_2019)


# --- seven sections, a large country: Nigeria 2017 -------------------------------------------

BLOCKS_NG_2017 = [
    Lines("NIGERIA 2017 HUMAN RIGHTS REPORT"),
    Lines("EXECUTIVE SUMMARY"),
    "Nigeria is a federal republic composed of 36 states and the Federal Capital Territory.  "
    "In 2015 the country held presidential and National Assembly elections, which observers "
    "viewed as credible.",
    "Civilian authorities did not always maintain effective control over the security services.",
    "The most significant human rights issues included extrajudicial and arbitrary killings; "
    "forced disappearances; torture; arbitrary detention; and harsh and life-threatening "
    "prison conditions.",
    Lines("Section 1. Respect for the Integrity of the Person, Including Freedom from:"),
    Lines("a. Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated\nKillings"),
    "There were several reports the government or its agents committed arbitrary and "
    "unlawful killings.  The national police, army, and other security services used lethal "
    "and excessive force to disperse protesters.",
    "Authorities did not always investigate or punish police for these killings.",
    Lines("b. Disappearance"),
    "There were reports of disappearances and abductions by security forces, and by Boko "
    "Haram and ISIS-West Africa in the Northeast.",
    Lines("c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment"),
    "Although the constitution and law prohibit torture, police and military personnel "
    "routinely tortured detainees to extract confessions.",
    Lines("Prison and Detention Center Conditions"),
    "Prison and detention center conditions remained harsh and life threatening.",
    "Physical Conditions:  Overcrowding was a significant problem.  Although the total "
    "designed capacity of the country’s prisons was 50,153 inmates, they held 73,631.",
    "Administration:  Independent authorities did not always investigate credible allegations "
    "of inhumane conditions.",
    Lines("d. Arbitrary Arrest or Detention"),
    "Although the constitution and law prohibit arbitrary arrest and detention, police and "
    "security services employed these practices.",
    Lines("Role of the Police and Security Apparatus"),
    "The Nigeria Police Force is the country’s largest law enforcement agency.  The Department "
    "of State Services is responsible for internal security.",
    Lines("Arrest Procedures and Treatment of Detainees"),
    "Although the constitution and law require the arrest and detention of suspects on the "
    "basis of a warrant, police frequently detained suspects without one.",
    "Arbitrary Arrest:  Security personnel arrested numerous persons without warrants, "
    "including during security operations in the Northeast.",
    "Pretrial Detention:  Lengthy pretrial detention remained a serious problem.  According "
    "to the Nigerian Prisons Service, 68 percent of inmates were awaiting trial.",
    "Detainee’s Ability to Challenge Lawfulness of Detention before a Court:  The constitution "
    "provides detainees the right to challenge their detention, but few could afford lawyers.",
    Lines("e. Denial of Fair Public Trial"),
    "Although the constitution and law provide for an independent judiciary, the judicial "
    "branch remained susceptible to pressure from the executive and legislative branches.",
    Lines("Trial Procedures"),
    "The constitution provides for the right to a fair and public trial, but the executive "
    "and political leaders influenced some trials.",
    Lines("Political Prisoners and Detainees"),
    "There were no reports of political prisoners or detainees.",
    Lines("Civil Judicial Procedures and Remedies"),
    "Individuals and organizations have access to the courts to seek civil remedies for human "
    "rights violations.",
    Lines("f. Arbitrary or Unlawful Interference with Privacy, Family, Home, or\nCorrespondence"),
    "Although the constitution and law prohibit such actions, authorities infringed on this right.",
    Lines("g. Abuses in Internal Conflict"),
    "The country suffered from numerous internal conflicts, including the conflict with Boko "
    "Haram in the Northeast and communal violence in the Middle Belt.",
    "Killings:  Boko Haram killed more than 1,000 civilians during the year.",
    "Abductions:  Boko Haram abducted numerous persons, including women and children.",
    "Physical Abuse, Punishment, and Torture:  Security forces abused detainees held in "
    "military facilities.",
    "Child Soldiers:  The Civilian Joint Task Force recruited and used child soldiers.",
    Lines("Section 2. Respect for Civil Liberties, Including:"),
    Lines("a. Freedom of Expression, Including for the Press"),
    "The constitution provides for freedom of speech and press, but the government frequently "
    "restricted these rights in practice.",
    "Press and Media Freedom:  A large and vibrant private domestic press frequently "
    "criticized the government.",
    "Violence and Harassment:  Security services detained and harassed journalists.",
    "Libel/Slander Laws:  Libel is a civil offense and requires the defendant to prove truth.",
    Lines("Internet Freedom"),
    "The government did not restrict or disrupt access to the internet.",
    Lines("Academic Freedom and Cultural Events"),
    "There were no reports of government restrictions on academic freedom.",
    Lines("b. Freedoms of Peaceful Assembly and Association"),
    "The constitution and law provide for the freedoms of peaceful assembly and association, "
    "but the government sometimes restricted them.",
    Lines("c. Freedom of Religion"),
    "See the Department of State’s International Religious Freedom Report at "
    "www.state.gov/religiousfreedomreport/.",
    Lines("d. Freedom of Movement"),
    "The constitution and law provide for freedom of internal movement, foreign travel, "
    "emigration, and repatriation, but security officials often restricted movement.",
    Lines("Internally Displaced Persons (IDPs)"),
    "According to the International Organization for Migration, there were approximately "
    "1.7 million IDPs in the Northeast.",
    Lines("Protection of Refugees"),
    "Refoulement:  In July authorities forcibly returned Cameroonian asylum seekers.",
    "Access to Asylum:  The law provides for the granting of asylum or refugee status.",
    Lines("Stateless Persons"),
    "Not applicable.",
    Lines("Section 3. Freedom to Participate in the Political Process"),
    "The constitution and law provide citizens the ability to choose their government in free "
    "and fair periodic elections held by secret ballot.",
    Lines("Elections and Political Participation"),
    "Recent Elections:  In 2015 the country held presidential and National Assembly elections.",
    "Participation of Women and Minorities:  No laws limit the participation of women.",
    Lines("Section 4. Corruption and Lack of Transparency in Government"),
    "Although the law provides criminal penalties for conviction of official corruption, the "
    "government did not implement the law effectively.",
    "Corruption:  Massive, widespread, and pervasive corruption affected all levels of "
    "government and the security services.",
    "Financial Disclosure:  The constitution requires public officials to declare their assets.",
    Lines(
        "Section 5. Governmental Attitude Regarding International and Nongovernmental\n"
        "Investigation of Alleged Violations of Human Rights"
    ),
    "A number of domestic and international human rights groups generally operated without "
    "government restriction.",
    "Government Human Rights Bodies:  The National Human Rights Commission is independent.",
    Lines("Section 6. Discrimination, Societal Abuses, and Trafficking in Persons"),
    Lines("Women"),
    "Rape and Domestic Violence:  The law criminalizes rape, but rape remained widespread.",
    "Female Genital Mutilation/Cutting (FGM/C):  The law criminalizes FGM/C, but it remained "
    "common in parts of the country.",
    Lines("Children"),
    "Birth Registration:  Children derive citizenship from their parents.",
    "Child, Early, and Forced Marriage:  The law sets the minimum age of marriage at 18.",
    Lines("Anti-Semitism"),
    "There were no reports of anti-Semitic acts.  There is a small Jewish community.",
    Lines("Trafficking in Persons"),
    "See the Department of State’s Trafficking in Persons Report at "
    "www.state.gov/j/tip/rls/tiprpt/.",
    Lines("Persons with Disabilities"),
    "The law prohibits discrimination against persons with disabilities.",
    Lines("National/Racial/Ethnic Minorities"),
    "The constitution prohibits ethnic discrimination by the government.",
    Lines(
        "Acts of Violence, Discrimination, and Other Abuses Based on Sexual Orientation and\n"
        "Gender Identity"
    ),
    "The Same Sex Marriage (Prohibition) Act effectively renders illegal all forms of "
    "activity supporting or promoting lesbian, gay, bisexual, transgender, and intersex "
    "rights.",
    Lines("HIV and AIDS Social Stigma"),
    "The law prohibits discrimination based on HIV status.",
    Lines("Other Societal Violence or Discrimination"),
    "Communal violence between herders and farmers killed hundreds of persons.",
    Lines("Section 7. Worker Rights"),
    Lines("a. Freedom of Association and the Right to Collective Bargaining"),
    "The law provides for the right of workers to form and join trade unions.",
    Lines("b. Prohibition of Forced or Compulsory Labor"),
    "The constitution prohibits forced or compulsory labor.",
    "Also see the Department of State’s Trafficking in Persons Report at "
    "www.state.gov/j/tip/rls/tiprpt/.",
    Lines("c. Prohibition of Child Labor and Minimum Age for Employment"),
    "The law sets the minimum age for employment at 12.",
    "Also see the Department of Labor’s Findings on the Worst Forms of Child Labor at "
    "www.dol.gov/ilab/reports/child-labor/findings/.",
    Lines("d. Discrimination with Respect to Employment and Occupation"),
    "The law does not prohibit discrimination in employment on the basis of disability.",
    Lines("e. Acceptable Conditions of Work"),
    "The national minimum wage was 18,000 naira ($50) per month.",
]
REPORT_NG_2017 = pdf_text(*BLOCKS_NG_2017)

# fmt: off
OUTLINE_NG_2017 = [
    ("summary", None, []), ("1", None, []), ("1a", "1", ["killings"]),
    ("1b", "1", ["disappearance"]), ("1c", "1", ["torture"]), ("1c-prisons", "1c", ["prisons"]),
    ("1d", "1", ["arrest"]), ("1d-police", "1d", ["arrest"]), ("1d-procedures", "1d", ["arrest"]),
    ("1e", "1", ["courts"]), ("1e-trial", "1e", ["courts"]),
    ("1e-political-prisoners", "1e", ["political-prisoners"]), ("1e-civil", "1e", ["courts"]),
    ("1f", "1", ["privacy"]), ("1g", "1", ["conflict"]), ("2", None, []),
    ("2a", "2", ["press-freedom"]), ("2a-internet", "2a", ["internet"]),
    ("2a-academic", "2a", ["academic-freedom"]), ("2b", "2", ["assembly", "association"]),
    ("2c", "2", ["religion"]), ("2d", "2", ["movement"]),
    ("2d-displaced", "2d", ["displaced-persons"]), ("2d-refugees", "2d", ["refugees"]),
    ("2d-stateless", "2d", ["statelessness"]), ("3", None, ["elections"]),
    ("3-elections", "3", ["elections"]), ("4", None, ["corruption"]), ("5", None, ["ngos"]),
    ("6", None, ["discrimination"]), ("6-women", "6", ["women"]),
    ("6-children", "6", ["children"]), ("6-antisemitism", "6", ["antisemitism"]),
    ("6-trafficking", "6", ["trafficking"]), ("6-disabilities", "6", ["disabilities"]),
    ("6-ethnic", "6", ["ethnic-minorities", "discrimination"]), ("6-lgbti", "6", ["lgbti"]),
    ("6-hiv", "6", ["discrimination"]), ("6-other", "6", ["discrimination"]),
    ("7", None, ["labour"]), ("7a", "7", ["labour", "association"]),
    ("7b", "7", ["forced-labour", "labour"]), ("7c", "7", ["child-labour", "children", "labour"]),
    ("7d", "7", ["discrimination", "labour"]), ("7e", "7", ["working-conditions", "labour"]),
]
COUNTS_NG_2017 = {
    "summary": 3, "1": 0, "1a": 2, "1b": 1, "1c": 1, "1c-prisons": 3, "1d": 1, "1d-police": 1,
    "1d-procedures": 4, "1e": 1, "1e-trial": 1, "1e-political-prisoners": 1, "1e-civil": 1,
    "1f": 1, "1g": 5, "2": 0, "2a": 4, "2a-internet": 1, "2a-academic": 1, "2b": 1, "2c": 1,
    "2d": 1, "2d-displaced": 1, "2d-refugees": 2, "2d-stateless": 1, "3": 1, "3-elections": 2,
    "4": 3, "5": 2, "6": 0, "6-women": 2, "6-children": 2, "6-antisemitism": 1,
    "6-trafficking": 1, "6-disabilities": 1, "6-ethnic": 1, "6-lgbti": 1, "6-hiv": 1,
    "6-other": 1, "7": 0, "7a": 1, "7b": 2, "7c": 2, "7d": 1, "7e": 1,
}
# fmt: on


@pytest.fixture(scope="module")
def report_ng_2017():
    check_blocks(BLOCKS_NG_2017, width=85)
    return parse(pdf_text(*BLOCKS_NG_2017, width=85))


def test_nigeria_2017_is_detected_as_seven_sections(report_ng_2017):
    assert report_ng_2017.layout == "seven-sections"
    assert report_ng_2017.title == "NIGERIA 2017 HUMAN RIGHTS REPORT"


def test_nigeria_2017_has_the_outline_a_reader_sees(report_ng_2017):
    assert [(s.code, s.parent, s.topics) for s in report_ng_2017.sections] == OUTLINE_NG_2017


def test_nigeria_2017_paragraph_counts(report_ng_2017):
    assert counts(report_ng_2017) == COUNTS_NG_2017


def test_nigeria_2017_short_1g_title_of_internal_conflict_is_1g_with_its_topic(report_ng_2017):
    conflict = section(report_ng_2017, "1g")
    assert conflict.title == "Abuses in Internal Conflict"
    assert (
        conflict.paragraphs[1]
        == "Killings: Boko Haram killed more than 1,000 civilians during the year."
    )


def test_nigeria_2017_trafficking_sub_heading_holds_the_see_the_tip_report_paragraph(
    report_ng_2017,
):
    assert section(report_ng_2017, "6-trafficking").paragraphs == [
        "See the Department of State’s Trafficking in Persons Report at "
        "www.state.gov/j/tip/rls/tiprpt/."
    ]
    # The same sentence under 7.b ("Also see…") stays a paragraph of 7.b.
    assert section(report_ng_2017, "7b").paragraphs[1].startswith("Also see the Department")


def test_nigeria_2017_long_run_in_labels_of_1d_start_their_paragraphs(report_ng_2017):
    procedures = section(report_ng_2017, "1d-procedures").paragraphs
    assert [p.split(":")[0] for p in procedures[1:]] == [
        "Arbitrary Arrest",
        "Pretrial Detention",
        "Detainee’s Ability to Challenge Lawfulness of Detention before a Court",
    ]


def test_nigeria_2017_refugees_printed_under_2d_are_not_reported_missing(report_ng_2017):
    """2017 prints IDPs, refugees and stateless persons as sub-headings of 2.d, as the layout
    knows (2d-displaced, 2d-refugees, 2d-stateless): 2.e–2.g are not missing."""
    assert report_ng_2017.warnings == []


def test_nigeria_2017_loses_no_text_and_keeps_its_order(report_ng_2017):
    assert words_in_order(report_ng_2017) == words(pdf_text(*BLOCKS_NG_2017, width=85))


def test_long_run_in_label_after_a_full_line_still_starts_its_paragraph():
    """The 2017–2019 label "Detainee’s Ability to Challenge Lawfulness of Detention before a
    Court:" has eleven words and a lower-case "before"; after a paragraph whose last line is
    full it must still open a new paragraph, as the bold label does on the page."""
    text = "\n".join(
        [
            "Nigeria 2017 Human Rights Report",
            "Section 1. Respect for the Integrity of the Person, Including Freedom from:",
            "d. Arbitrary Arrest or Detention",
            "Pretrial Detention:  Lengthy pretrial detention remained a serious problem, and",
            "according to the Nigerian Prisons Service 68 percent of inmates were awaiting trial.",
            "Detainee’s Ability to Challenge Lawfulness of Detention before a Court:  The",
            "constitution provides detainees the right to challenge their detention in court.",
        ]
    )
    report = parse(text)
    assert codes(report) == ["1", "1d"]
    paragraphs = section(report, "1d").paragraphs
    assert len(paragraphs) == 2
    assert paragraphs[1].startswith("Detainee’s Ability to Challenge Lawfulness")


# --- six sections, 2008: corruption under section 3, trafficking under section 5 -----------

BLOCKS_2008 = [
    "Uzbekistan is an authoritarian state with a population of approximately 27 million.  "
    "The constitution provides for a presidential system with separation of powers, but in "
    "practice President Islam Karimov and the centralized executive branch dominated "
    "political life.",
    "The government's human rights record remained poor, and government officials frequently "
    "engaged in serious abuses.",
    Lines("RESPECT FOR HUMAN RIGHTS"),
    Lines("Section 1 Respect for the Integrity of the Person, Including Freedom From:"),
    Lines("a. Arbitrary or Unlawful Deprivation of Life"),
    "There were no reports that the government or its agents committed politically "
    "motivated killings.",
    Lines("b. Disappearance"),
    "There were no reports of politically motivated disappearances.",
    Lines("c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment"),
    "The constitution and law prohibit such practices; however, police and security service "
    "officers routinely beat and otherwise mistreated detainees.",
    Lines("Prison and Detention Center Conditions"),
    "Prison conditions remained poor and in some cases life threatening.",
    Lines("d. Arbitrary Arrest or Detention"),
    "The law prohibits arbitrary arrest and detention; however, authorities arbitrarily "
    "arrested and detained persons.",
    Lines("Role of the Police and Security Apparatus"),
    "The Ministry of Internal Affairs controls the police, and the National Security Service "
    "deals with a broad range of national security questions.",
    Lines("Arrest and Detention"),
    "By law police may detain a suspect for 72 hours before charging him.",
    Lines("e. Denial of Fair Public Trial"),
    "The law provides for an independent judiciary; however, the executive branch heavily "
    "influenced the courts.",
    Lines("Trial Procedures"),
    "The law provides for the presumption of innocence; however, this was not observed.",
    Lines("Political Prisoners and Detainees"),
    "Human rights activists estimated that there were between 500 and 1,500 political "
    "prisoners in the country.",
    Lines("Civil Judicial Procedures and Remedies"),
    "Citizens may seek redress for human rights violations in civil courts.",
    Lines("f. Arbitrary Interference with Privacy, Family, Home, or Correspondence"),
    "The law prohibits such actions; however, the authorities did not respect these "
    "prohibitions in practice.",
    Lines("Section 2 Respect for Civil Liberties, Including:"),
    Lines("a. Freedom of Speech and Press"),
    "The law provides for freedom of speech and press; however, the government severely "
    "restricted these rights in practice.",
    Lines("Internet Freedom"),
    "The government restricted access to the Internet and blocked opposition Web sites.",
    Lines("Academic Freedom and Cultural Events"),
    "The government restricted academic freedom, and university professors practiced "
    "self-censorship.",
    Lines("b. Freedom of Peaceful Assembly and Association"),
    Lines("Freedom of Assembly"),
    "The law provides for freedom of assembly; however, authorities severely restricted it.",
    Lines("Freedom of Association"),
    "The law provides for freedom of association; however, the government restricted it.",
    Lines("c. Freedom of Religion"),
    "The constitution provides for freedom of religion; however, the government restricted "
    "this right in practice.",
    Lines("Societal Abuses and Discrimination"),
    "The Jewish community of approximately 10,000 persons reported no anti-Semitic acts.",
    Lines(
        "d. Freedom of Movement, Internally Displaced Persons, Protection of Refugees, and "
        "Stateless Persons"
    ),
    "The law does not provide for freedom of movement, and the government restricted it.",
    Lines("Protection of Refugees"),
    "The country is not a party to the 1951 UN Convention relating to the Status of Refugees.",
    Lines(
        "Section 3 Respect for Political Rights: The Right of Citizens to Change Their Government"
    ),
    "The constitution and law provide citizens with the right to change their government "
    "peacefully; however, the government severely restricted this right in practice.",
    Lines("Elections and Political Participation"),
    "The 2007 presidential election did not meet many OSCE commitments.",
    Lines("Government Corruption and Transparency"),
    "The law provides criminal penalties for official corruption; however, the government did "
    "not implement the law effectively.",
    Lines(
        "Section 4 Governmental Attitude Regarding International and Nongovernmental "
        "Investigation of Alleged Violations of Human Rights"
    ),
    "The government did not permit domestic human rights groups to operate freely.",
    Lines("Section 5 Discrimination, Societal Abuses, and Trafficking in Persons"),
    "The law prohibits discrimination based on race, gender, disability, language, or social "
    "status; however, the government did not enforce these prohibitions.",
    Lines("Women"),
    "The law criminalizes rape, including spousal rape; however, police rarely investigated.",
    Lines("Children"),
    "The government was committed to children's welfare, although its resources were limited.",
    Lines("Trafficking in Persons"),
    "The law prohibits trafficking in persons; however, the country was a source and transit "
    "country for women and girls trafficked for sexual exploitation.",
    Lines("Persons with Disabilities"),
    "The law prohibits discrimination against persons with disabilities.",
    Lines("National/Racial/Ethnic Minorities"),
    "Ethnic Russians and other minorities reported discrimination in employment.",
    Lines("Other Societal Abuses and Discrimination"),
    "Homosexual activity is punishable by up to three years' imprisonment.",
    Lines("Section 6 Worker Rights"),
    Lines("a. The Right of Association"),
    "The law provides for the right of workers to form and join unions.",
    Lines("b. The Right to Organize and Bargain Collectively"),
    "The law provides for collective bargaining; however, unions did not bargain freely.",
    Lines("c. Prohibition of Forced or Compulsory Labor"),
    "The law prohibits forced or compulsory labor; however, there were reports of its use.",
    Lines("d. Prohibition of Child Labor and Minimum Age for Employment"),
    "Children were mobilized to harvest cotton in many regions.",
    Lines("e. Acceptable Conditions of Work"),
    "The minimum wage was 25,040 soum (approximately $18) per month.",
]
# The 2008 reports are web pages: the title block, then one paragraph or heading a line.
TITLE_2008 = (
    "2008 Human Rights Report: Uzbekistan",
    "BUREAU OF DEMOCRACY, HUMAN RIGHTS, AND LABOR",
    "2008 Country Reports on Human Rights Practices",
    "February 25, 2009",
)
REPORT_2008 = "\n".join(TITLE_2008) + "\n\n" + web_text(*BLOCKS_2008)


@pytest.fixture(scope="module")
def report_2008():
    return parse(REPORT_2008)


def test_2008_report_is_detected_as_six_sections_with_its_title(report_2008):
    assert report_2008.layout == "six-sections"
    # The release date (February 25, 2009) is not the report's year.
    assert report_2008.title.startswith("2008 Human Rights Report: Uzbekistan")
    assert "2009" not in report_2008.title
    assert report_2008.mismatches(2008, "en") == []


def test_2008_sections_and_subsections_are_those_printed(report_2008):
    tops = [(s.code, s.title) for s in report_2008.sections if s.parent is None]
    assert tops == [
        ("intro", "Introduction"),
        ("1", "Respect for the Integrity of the Person, Including Freedom From"),
        ("2", "Respect for Civil Liberties, Including"),
        ("3", "Respect for Political Rights: The Right of Citizens to Change Their Government"),
        (
            "4",
            "Governmental Attitude Regarding International and Nongovernmental Investigation "
            "of Alleged Violations of Human Rights",
        ),
        ("5", "Discrimination, Societal Abuses, and Trafficking in Persons"),
        ("6", "Worker Rights"),
    ]
    lettered = [s.code for s in report_2008.sections if taxonomy.kind_of(s.code) == "subsection"]
    assert lettered == [
        "1a", "1b", "1c", "1d", "1e", "1f", "2a", "2b", "2c", "2d",
        "6a", "6b", "6c", "6d", "6e",
    ]  # fmt: skip


def test_2008_corruption_under_section_3_carries_the_corruption_topic(report_2008):
    corruption = titled(report_2008, "Government Corruption and Transparency")
    assert corruption.code == "3-corruption"
    assert corruption.parent == "3"
    assert corruption.topics == ["corruption"]
    assert len(corruption.paragraphs) == 1


def test_2008_trafficking_is_a_sub_heading_of_section_5_with_its_topic(report_2008):
    trafficking = titled(report_2008, "Trafficking in Persons")
    assert trafficking.parent == "5"
    assert trafficking.topics == ["trafficking"]
    assert len(trafficking.paragraphs) == 1
    assert section(report_2008, "5").topics == ["discrimination"]
    assert len(section(report_2008, "5").paragraphs) == 1


SUB_HEADINGS_2008 = [
    ("Prison and Detention Center Conditions", "1c", ["prisons"]),
    ("Role of the Police and Security Apparatus", "1d", ["arrest"]),
    ("Arrest and Detention", "1d", ["arrest"]),
    ("Trial Procedures", "1e", ["courts"]),
    ("Political Prisoners and Detainees", "1e", ["political-prisoners"]),
    ("Civil Judicial Procedures and Remedies", "1e", ["courts"]),
    ("Internet Freedom", "2a", ["internet"]),
    ("Academic Freedom and Cultural Events", "2a", ["academic-freedom"]),
    ("Freedom of Assembly", "2b", ["assembly"]),
    ("Freedom of Association", "2b", ["association"]),
    ("Protection of Refugees", "2d", ["refugees"]),
    ("Elections and Political Participation", "3", ["elections"]),
]


@pytest.mark.parametrize("title, parent, topics", SUB_HEADINGS_2008)
def test_2008_sub_headings_of_sections_1_to_3_carry_their_topics(
    report_2008, title, parent, topics
):
    """2006–2009 reports print the sub-headings the seven-section reports print (Political
    Prisoners and Detainees, Internet Freedom, Elections and Political Participation…), some
    in their own wording ("Arrest and Detention"): /topics/ must list their text, and the
    heading is a sub-heading of its subsection, not a paragraph of it."""
    found = titled(report_2008, title)
    assert (found.parent, found.topics, len(found.paragraphs)) == (parent, topics, 1)


@pytest.mark.parametrize("code", ["1c", "1d", "1e", "2a", "2d", "3"])
def test_2008_subsections_keep_only_their_own_paragraphs(report_2008, code):
    assert len(section(report_2008, code).paragraphs) == 1


def test_2008_loses_no_text_and_keeps_its_order(report_2008):
    kept = words_in_order(report_2008, unprinted=frozenset({"intro"}))
    title_words = len(words(report_2008.title))
    assert kept[title_words:] == words(web_text(*BLOCKS_2008))


def test_2008_printed_to_pdf_lettered_heading_does_not_swallow_the_sub_heading_after_it():
    """Printed from the browser, "b. Freedom of Peaceful Assembly and Association" is followed
    on the next line by the sub-heading "Freedom of Assembly": two headings, not one title."""
    report = parse(pdf_text(*BLOCKS_2008))
    assert section(report, "2b").title == "Freedom of Peaceful Assembly and Association"
    assert section(report, "2a").title == "Freedom of Speech and Press"
    assert [s.title for s in report.sections if s.parent is None][1:] == [
        s.title for s in parse(REPORT_2008).sections if s.parent is None
    ][1:]


# --- the 2023 numbering in Kazakh and Russian translations -----------------------------------

BLOCKS_KK_2023 = [
    Lines("ҚАЗАҚСТАН 2023 ЖЫЛҒЫ АДАМ ҚҰҚЫҚТАРЫ ТУРАЛЫ ЕСЕП"),
    Lines("ҚЫСҚАША ШОЛУ"),
    "Жыл ішінде адам құқықтары жағдайында елеулі өзгеріс болмады.",
    "Үкімет адам құқықтарын бұзған шенеуніктерді анықтау және жазалау үшін кейбір сенімді "
    "қадамдар жасады.",
    Lines("1-бөлім. Жеке адамның дербестігін құрметтеу"),
    Lines("a. Өмірден негізсіз айыру және басқа да заңсыз немесе саяси астарлы кісі\nөлтіру"),
    "Үкімет немесе оның өкілдері жыл ішінде негізсіз немесе заңсыз кісі өлтірді деген "
    "хабарлар болған жоқ.",
    Lines("b. Жоғалу"),
    "Мемлекеттік органдардың немесе олардың атынан адамдардың жоғалғаны туралы хабарлар "
    "болған жоқ.",
    Lines(
        "c. Азаптау және басқа да қатыгез, адамгершілікке жатпайтын немесе ар-намысты\n"
        "қорлайтын қарым-қатынас немесе жазалау"
    ),
    "Заң мұндай әрекеттерге тыйым салды, бірақ үкімет шенеуніктері оларды қолданды деген "
    "сенімді хабарлар болды.",
    Lines("Түрмелер мен қамау орындарындағы жағдай"),
    "Түрмелердегі жағдай ауыр, кейде өмірге қауіпті болды.",
    Lines("d. Негізсіз қамауға алу немесе ұстау"),
    "Заң негізсіз қамауға алуға және ұстауға тыйым салды, бірақ билік бұл талаптарды "
    "әрдайым сақтаған жоқ.",
    Lines("e. Әділ және ашық сот талқылауынан бас тарту"),
    "Заң тәуелсіз сот жүйесін көздеді, бірақ атқарушы билік соттарға ықпал етті.",
    Lines("Саяси тұтқындар мен ұсталғандар"),
    "Саяси тұтқындар мен ұсталғандар туралы хабарлар болды.",
    Lines("f. Трансұлттық қуғын-сүргін"),
    "Үкімет шетелде тұратын сыншыларға қысым көрсетті деген хабарлар болды.",
    Lines("g. Мүлікті тәркілеу және қайтару"),
    "Қолданылмайды.",
    Lines("h. Жеке өмірге, отбасына, үйге немесе хат-хабарға негізсіз немесе заңсыз\nараласу"),
    "Заң мұндай әрекеттерге тыйым салды, бірақ билік бұл тыйымдарды әрдайым сақтаған жоқ.",
    Lines("2-бөлім. Азаматтық бостандықтарды құрметтеу"),
    Lines("a. Сөз бостандығы, оның ішінде баспасөз және басқа БАҚ өкілдері үшін"),
    "Конституция сөз бостандығын көздеді, бірақ үкімет бұл құқықты шектеді.",
    Lines("Интернет бостандығы"),
    "Үкімет онлайн-контентті жан-жақты бақылады.",
    Lines("b. Бейбіт жиналыс және бірлестік бостандығы"),
    "Үкімет бейбіт жиналыс және бірлестік бостандығын шектеді.",
    Lines("c. Дін бостандығы"),
    "Мемлекеттік департаменттің Халықаралық дін бостандығы туралы есебін қараңыз.",
    Lines("d. Жүріп-тұру бостандығы және елден шығу құқығы"),
    "Заң ел ішінде еркін жүріп-тұруды көздеді.",
    Lines("e. Босқындарды қорғау"),
    "Үкімет БҰҰ-ның Босқындар ісі жөніндегі жоғарғы комиссарының басқармасымен ынтымақтасты.",
    Lines("f. Ел ішінде қоныс аударған адамдардың мәртебесі және оларға қатынас"),
    "Қолданылмайды.",
    Lines("g. Азаматтығы жоқ адамдар"),
    "БҰҰ БЖКБ мәліметі бойынша елде азаматтығы жоқ 7 мыңнан астам адам тіркелген.",
    Lines("3-бөлім. Саяси процеске қатысу бостандығы"),
    "Заң азаматтарға еркін және әділ сайлауда үкіметті таңдау мүмкіндігін берді.",
    Lines("Сайлау және саяси белсенділік"),
    "Соңғы сайлау:  Наурызда елде мерзімінен бұрын парламент сайлауы өтті.",
    Lines("4-бөлім. Сыбайлас жемқорлық және үкіметте ашықтықтың болмауы"),
    "Заң сыбайлас жемқорлық үшін қылмыстық жауапкершілікті көздеді.",
    Lines(
        "5-бөлім. Адам құқықтарының болжамды бұзылуын халықаралық және үкіметтік емес\n"
        "тергеуге үкіметтің көзқарасы"
    ),
    "Бірқатар отандық және халықаралық құқық қорғау топтары белгілі бір шектеулермен жұмыс істеді.",
    Lines("6-бөлім. Кемсітушілік және әлеуметтік қиянат"),
    Lines("Әйелдер"),
    "Зорлау және тұрмыстық зорлық-зомбылық:  Заң зорлауды қылмыс деп таныды.",
    Lines("Балалар"),
    "Баланы қорлау:  Заң балаларға қатыгездік көрсетуге тыйым салды.",
    Lines("Антисемитизм"),
    "Антисемиттік әрекеттер туралы хабарлар болған жоқ.",
    Lines("Адам саудасы"),
    "Мемлекеттік департаменттің Адам саудасы туралы есебін қараңыз.",
    Lines("7-бөлім. Жұмысшылар құқықтары"),
    Lines("a. Бірлестік бостандығы және ұжымдық келіссөздер жүргізу құқығы"),
    "Заң жұмысшылардың кәсіподақ құру құқығын көздеді, бірақ оны шектеді.",
    Lines("b. Мәжбүрлі немесе міндетті еңбекке тыйым салу"),
    "Заң мәжбүрлі еңбектің барлық түріне тыйым салды.",
    Lines("c. Бала еңбегіне тыйым салу және жұмысқа қабылдаудың ең төменгі жасы"),
    "Заң 16 жасқа толмаған балаларды жұмысқа алуға тыйым салды.",
    Lines("d. Жұмыспен қамту және кәсіп саласындағы кемсітушілік"),
    "Заң еңбек саласындағы кемсітушілікке тыйым салды.",
    Lines("e. Қолайлы еңбек жағдайлары"),
    "Ең төменгі жалақы ресми күнкөріс деңгейінен жоғары болды.",
]
REPORT_KK_2023 = pdf_text(*BLOCKS_KK_2023)

# fmt: off
CODES_KK_2023 = [
    ("summary", []), ("1", []), ("1a", ["killings"]), ("1b", ["disappearance"]),
    ("1c", ["torture"]), ("1c-prisons", ["prisons"]), ("1d", ["arrest"]), ("1e", ["courts"]),
    ("1e-political-prisoners", ["political-prisoners"]), ("1f", ["transnational-repression"]),
    ("1g", ["property"]), ("1h", ["privacy"]), ("2", []), ("2a", ["press-freedom"]),
    ("2a-internet", ["internet"]), ("2b", ["assembly", "association"]), ("2c", ["religion"]),
    ("2d", ["movement"]), ("2e", ["refugees"]), ("2f", ["displaced-persons"]),
    ("2g", ["statelessness"]), ("3", ["elections"]), ("3-elections", ["elections"]),
    ("4", ["corruption"]), ("5", ["ngos"]), ("6", ["discrimination"]), ("6-women", ["women"]),
    ("6-children", ["children"]), ("6-antisemitism", ["antisemitism"]),
    ("6-trafficking", ["trafficking"]), ("7", ["labour"]), ("7a", ["labour", "association"]),
    ("7b", ["forced-labour", "labour"]), ("7c", ["child-labour", "children", "labour"]),
    ("7d", ["discrimination", "labour"]), ("7e", ["working-conditions", "labour"]),
]
# fmt: on


@pytest.fixture(scope="module")
def report_kk_2023():
    check_blocks(BLOCKS_KK_2023)
    return parse(REPORT_KK_2023, "kk")


def test_kazakh_2023_is_detected_as_the_2023_layout(report_kk_2023):
    assert report_kk_2023.layout == "seven-sections-2023"
    assert report_kk_2023.detected_language == "kk"
    assert report_kk_2023.title == "ҚАЗАҚСТАН 2023 ЖЫЛҒЫ АДАМ ҚҰҚЫҚТАРЫ ТУРАЛЫ ЕСЕП"


def test_kazakh_2023_has_the_codes_and_topics_of_the_2023_numbering(report_kk_2023):
    assert [(s.code, s.topics) for s in report_kk_2023.sections] == CODES_KK_2023


def test_kazakh_2023_hyphenated_section_labels_and_wrapped_titles(report_kk_2023):
    assert section(report_kk_2023, "1").printed_label == "1-бөлім."
    assert section(report_kk_2023, "1a").title == (
        "Өмірден негізсіз айыру және басқа да заңсыз немесе саяси астарлы кісі өлтіру"
    )
    assert section(report_kk_2023, "1h").title.endswith("заңсыз араласу")
    assert section(report_kk_2023, "5").title.endswith("тергеуге үкіметтің көзқарасы")


def test_kazakh_2023_one_paragraph_a_subsection(report_kk_2023):
    assert section(report_kk_2023, "1g").paragraphs == ["Қолданылмайды."]
    assert section(report_kk_2023, "2f").paragraphs == ["Қолданылмайды."]
    assert {code: n for code, n in counts(report_kk_2023).items() if n != 1} == {
        "summary": 2, "1": 0, "2": 0, "6": 0, "7": 0,
    }  # fmt: skip


def test_kazakh_2023_warns_about_nothing_but_what_it_does_not_print(report_kk_2023):
    assert [w for w in report_kk_2023.warnings if not w.startswith("no heading found")] == []


def test_kazakh_2023_loses_no_text_and_keeps_its_order(report_kk_2023):
    assert words_in_order(report_kk_2023) == words(REPORT_KK_2023)


BLOCKS_RU_2023 = [
    Lines("КАЗАХСТАН 2023: ДОКЛАД О СОБЛЮДЕНИИ ПРАВ ЧЕЛОВЕКА"),
    Lines("Краткое изложение"),
    "В течение года в положении с правами человека в Казахстане не произошло существенных "
    "изменений.",
    Lines("Раздел 1. Уважение неприкосновенности личности"),
    Lines(
        "а. Произвольное лишение жизни и другие незаконные или политически\nмотивированные убийства"
    ),
    "Не поступало сообщений о том, что правительство совершало произвольные убийства.",
    Lines("б. Исчезновения"),
    "Не поступало сообщений об исчезновениях.",
    Lines(
        "в. Пытки и другие жестокие, бесчеловечные или унижающие достоинство\n"
        "виды обращения и наказания, а также другие связанные с ними нарушения"
    ),
    "Закон запрещает такую практику, однако поступали сообщения о ее применении.",
    Lines("г. Произвольный арест или задержание"),
    "Закон запрещает произвольные аресты и задержания.",
    Lines("д. Отказ в справедливом публичном судебном разбирательстве"),
    "Закон не обеспечивает независимость судебной власти.",
    Lines("е. Транснациональные репрессии"),
    "Правительство оказывало давление на критиков, проживающих за рубежом.",
    Lines("ж. Изъятие и реституция имущества"),
    "Неприменимо.",
    Lines(
        "з. Произвольное или незаконное вмешательство в частную жизнь, семью,\nжилище или переписку"
    ),
    "Конституция и закон запрещают подобные действия.",
    Lines("Раздел 2. Уважение гражданских свобод"),
    Lines("а. Свобода выражения мнений, в том числе для представителей прессы и\nдругих СМИ"),
    "Конституция предусматривает свободу слова и печати.",
    Lines("б. Свобода мирных собраний и объединений"),
    "Правительство ограничивало свободу мирных собраний и объединений.",
    Lines("в. Свобода вероисповедания"),
    "См. доклад Государственного департамента о свободе вероисповедания в мире.",
    Lines("г. Свобода передвижения и право на выезд из страны"),
    "Закон предусматривает свободу передвижения внутри страны.",
    Lines("д. Защита беженцев"),
    "Правительство сотрудничало с УВКБ ООН.",
    Lines("е. Положение внутренне перемещенных лиц и обращение с ними"),
    "Неприменимо.",
    Lines("ж. Лица без гражданства"),
    "По данным УВКБ ООН, в стране было зарегистрировано 7650 лиц без гражданства.",
    Lines("Раздел 3. Свобода участия в политическом процессе"),
    "Закон предоставляет гражданам возможность выбирать свое правительство.",
    Lines("Раздел 4. Коррупция и отсутствие прозрачности в работе правительства"),
    "Закон предусматривает уголовную ответственность за коррупцию.",
    Lines(
        "Раздел 5. Отношение правительства к международным и неправительственным\n"
        "расследованиям предполагаемых нарушений прав человека"
    ),
    "Ряд правозащитных групп действовал с определенной свободой.",
    Lines("Раздел 6. Дискриминация и социальные злоупотребления"),
    Lines("Женщины"),
    "Изнасилование и домашнее насилие:  Закон криминализирует изнасилование.",
    Lines("Раздел 7. Права работников"),
    Lines("а. Свобода объединений и право на ведение коллективных переговоров"),
    "Закон предусматривает право работников создавать профсоюзы.",
    Lines("б. Запрещение принудительного или обязательного труда"),
    "Закон запрещает все формы принудительного труда.",
    Lines("в. Запрещение детского труда и минимальный возраст для приема на работу"),
    "Закон запрещает работу детей младше 16 лет.",
    Lines("г. Дискриминация в сфере труда и занятий"),
    "Закон запрещает дискриминацию в сфере труда.",
    Lines("д. Приемлемые условия труда"),
    "Минимальная заработная плата превышала прожиточный минимум.",
]
REPORT_RU_2023 = pdf_text(*BLOCKS_RU_2023)

# fmt: off
CODES_RU_2023 = [
    ("summary", []), ("1", []), ("1a", ["killings"]), ("1b", ["disappearance"]),
    ("1c", ["torture"]), ("1d", ["arrest"]), ("1e", ["courts"]),
    ("1f", ["transnational-repression"]), ("1g", ["property"]), ("1h", ["privacy"]),
    ("2", []), ("2a", ["press-freedom"]), ("2b", ["assembly", "association"]),
    ("2c", ["religion"]), ("2d", ["movement"]), ("2e", ["refugees"]),
    ("2f", ["displaced-persons"]), ("2g", ["statelessness"]), ("3", ["elections"]),
    ("4", ["corruption"]), ("5", ["ngos"]), ("6", ["discrimination"]), ("6-women", ["women"]),
    ("7", ["labour"]), ("7a", ["labour", "association"]), ("7b", ["forced-labour", "labour"]),
    ("7c", ["child-labour", "children", "labour"]), ("7d", ["discrimination", "labour"]),
    ("7e", ["working-conditions", "labour"]),
]
# fmt: on


@pytest.mark.parametrize("language", ["ru", None])
def test_russian_2023_is_the_2023_layout_with_russian_letters_e_zh_z_as_f_g_h(language):
    report = parse(REPORT_RU_2023, language)
    assert report.layout == "seven-sections-2023"
    assert [(s.code, s.topics) for s in report.sections] == CODES_RU_2023
    assert section(report, "1h").printed_label == "з."
    assert section(report, "1g").paragraphs == ["Неприменимо."]
    assert [w for w in report.warnings if not w.startswith("no heading found")] == []
    assert words_in_order(report) == words(REPORT_RU_2023)


# --- three sections: the 2024 edition as printed, another country ---------------------------

BLOCKS_GE_2024 = [
    Lines("Country Reports on Human Rights Practices for 2024"),
    Lines("Georgia 2024 Human Rights Report"),
    Lines("Executive Summary"),
    "There were significant negative changes in the human rights situation in Georgia "
    "during the year.",
    "Significant human rights issues included credible reports of:  torture or cruel, "
    "inhuman, or degrading treatment or punishment; arbitrary arrest or detention; serious "
    "restrictions on freedom of expression and media freedom, including violence against "
    "journalists; and substantial interference with the freedom of peaceful assembly.",
    "The government did not take credible steps to identify and punish officials who may have "
    "committed human rights abuses.",
    Lines("Section 1. Life"),
    Lines("a. Extrajudicial Killings"),
    "There were no reports that the government or its agents committed arbitrary or unlawful "
    "killings, including extrajudicial killings, during the year.",
    Lines("b. Coercion in Population Control"),
    "There were no reports of coerced abortion or involuntary sterilization on the part of "
    "government authorities.",
    Lines("Section 2. Liberty"),
    Lines("a. Freedom of the Press"),
    "The constitution provided for freedom of expression, including for members of the press "
    "and other media, but the government did not always respect this right.",
    "Violence and Harassment:  Police officers beat and detained journalists covering protests "
    "in Tbilisi in November and December.",
    Lines("Internet Freedom"),
    "There were no reports the government restricted or disrupted access to the internet.",
    Lines("b. Worker Rights"),
    "The law provided for the right of workers to form and join independent unions.",
    Lines("Freedom of Association and Collective Bargaining"),
    "The law did not require employers to engage in collective bargaining.",
    Lines("Acceptable Conditions of Work"),
    "Wage and Hour Laws:  The minimum wage for public-sector employees was above the poverty line.",
    "Occupational Safety and Health:  The law set appropriate standards for most industries.",
    Lines("c. Disappearance and Abductions"),
    "There were no reports of disappearances by or on behalf of government authorities.",
    Lines("Section 3. Security of the Person"),
    Lines("a. Torture and Cruel, Inhuman, or Degrading Treatment or Punishment"),
    "The constitution and law prohibited such practices, but there were reports that "
    "government officials employed them against protesters.",
    Lines("Prison and Detention Center Conditions"),
    "Abusive Physical Conditions:  There were reports of overcrowding in some facilities.",
    Lines("b. Protection of Children"),
    "Child, Early, and Forced Marriage:  The legal minimum age of marriage was 18.",
    "Sexual Exploitation of Children:  The law prohibited the commercial sexual exploitation "
    "of children.",
    Lines("c. Protection to Refugees"),
    "The government cooperated with the Office of the UN High Commissioner for Refugees.",
    Lines("d. Arbitrary Arrest or Detention"),
    "The law prohibited arbitrary arrest and detention, but authorities detained hundreds of "
    "protesters in November and December.",
    Lines("e. Transnational Repression"),
    "There were no reports of transnational repression.",
    Lines("f. Trafficking in Persons"),
    "See the Department of State’s annual Trafficking in Persons Report at "
    "https://www.state.gov/trafficking-in-persons-report/.",
]
REPORT_GE_2024 = pdf_text(*BLOCKS_GE_2024)

# fmt: off
OUTLINE_GE_2024 = [
    ("summary", None, []), ("1", None, []), ("1a", "1", ["killings"]), ("1b", "1", ["women"]),
    ("2", None, []), ("2a", "2", ["press-freedom"]), ("2a-internet", "2a", ["internet"]),
    ("2b", "2", ["labour"]), ("2b-association", "2b", ["labour", "association"]),
    ("2b-conditions", "2b", ["working-conditions", "labour"]), ("2c", "2", ["disappearance"]),
    ("3", None, []), ("3a", "3", ["torture"]), ("3a-prisons", "3a", ["prisons"]),
    ("3b", "3", ["children"]), ("3c", "3", ["refugees"]), ("3d", "3", ["arrest"]),
    ("3e", "3", ["transnational-repression"]), ("3f", "3", ["trafficking"]),
]
COUNTS_GE_2024 = {
    "summary": 3, "1": 0, "1a": 1, "1b": 1, "2": 0, "2a": 2, "2a-internet": 1, "2b": 1,
    "2b-association": 1, "2b-conditions": 2, "2c": 1, "3": 0, "3a": 1, "3a-prisons": 1,
    "3b": 2, "3c": 1, "3d": 1, "3e": 1, "3f": 1,
}
# fmt: on


@pytest.fixture(scope="module")
def report_ge_2024():
    check_blocks(BLOCKS_GE_2024)
    return parse(REPORT_GE_2024)


def test_georgia_2024_is_three_sections_titled_without_the_series_line(report_ge_2024):
    assert report_ge_2024.layout == "three-sections"
    assert report_ge_2024.title == "Georgia 2024 Human Rights Report"


def test_georgia_2024_has_the_outline_a_reader_sees(report_ge_2024):
    assert [(s.code, s.parent, s.topics) for s in report_ge_2024.sections] == OUTLINE_GE_2024


def test_georgia_2024_paragraph_counts(report_ge_2024):
    assert counts(report_ge_2024) == COUNTS_GE_2024


def test_georgia_2024_corrects_nothing_and_misses_only_antisemitism(report_ge_2024):
    assert report_ge_2024.warnings == ["no heading found for 3g (antisemitism)"]


def test_georgia_2024_loses_no_text_and_keeps_its_order(report_ge_2024):
    kept = words_in_order(report_ge_2024)
    assert kept == words(REPORT_GE_2024)[len(words(BLOCKS_GE_2024[0])) :]


def test_2024_and_2013_torture_share_the_topic_though_their_codes_differ(report_ge_2024):
    assert section(report_ge_2024, "3a").topics == ["torture"]
    assert section(parse(REPORT_2013), "1c").topics == ["torture"]


# --- PDF text quirks ------------------------------------------------------------------------


def replace_block(blocks: list, old: str, *new) -> list:
    position = blocks.index(old)
    return [*blocks[:position], *new, *blocks[position + 1 :]]


def test_windows_line_ends_tabs_and_form_feeds_at_line_starts_change_nothing(report_li_2019):
    """pdftotext puts the form feed at the start of the next page's first line; Windows
    editors save CRLF; some extractors put a tab between a label and its title."""
    lines = REPORT_LI_2019.split("\n")
    lines = [re.sub(r"^(Section \d\.|[a-g]\.) ", "\\1\t", line) for line in lines]
    for position in range(40, len(lines), 40):
        lines[position] = "\f" + lines[position]
    report = parse("\r\n".join(lines))
    assert same_parse(report) == same_parse(report_li_2019)


def test_all_capitals_section_headings_are_sections(report_li_2019):
    """Embassy translations and some PDF exports print section headings in capitals."""
    blocks = [
        Lines(b.upper()) if isinstance(b, Lines) and b.startswith("Section") else b
        for b in BLOCKS_LI_2019
    ]
    report = parse(pdf_text(*blocks))
    assert codes(report) == codes(report_li_2019)
    assert section(report, "4").title == "CORRUPTION AND LACK OF TRANSPARENCY IN GOVERNMENT"
    assert counts(report) == counts(report_li_2019)


def test_all_capitals_lettered_headings_are_subsections(report_li_2019):
    """ "A. ARBITRARY DEPRIVATION OF LIFE…": a capital letter label, as in capitals headings."""
    blocks = [
        Lines(b.upper()) if isinstance(b, Lines) and re.match(r"^(Section|[a-g]\.)", b) else b
        for b in BLOCKS_LI_2019
    ]
    report = parse(pdf_text(*blocks))
    assert codes(report) == codes(report_li_2019)
    assert section(report, "1c").title.startswith("TORTURE AND OTHER CRUEL")
    assert counts(report) == counts(report_li_2019)


def test_labels_on_their_own_line_before_the_title(report_li_2019):
    """Some PDF exports set the label ("Section 1.", "a.") apart from the title, and the text
    comes out with the label alone on its line."""
    blocks = [
        Lines(re.sub(r"^(Section \d\.|[a-g]\.) ", "\\1\n", b)) if isinstance(b, Lines) else b
        for b in BLOCKS_LI_2019
    ]
    text = pdf_text(*blocks)
    assert "\nSection 1.\nRespect for the Integrity" in text and "\nb.\nDisappearance\n" in text
    report = parse(text)
    assert [(s.code, s.title) for s in report.sections] == [
        (s.code, s.title) for s in report_li_2019.sections
    ]
    assert counts(report) == counts(report_li_2019)


# The page's table of contents: the summary and the section headings, as printed below.
TOC_LI_2019 = [
    "Executive Summary",
    *(" ".join(b.split("\n")) for b in BLOCKS_LI_2019 if b.startswith("Section ")),
]


def test_table_of_contents_before_the_body_does_not_take_the_body_s_headings(report_li_2019):
    """The state.gov pages list the section headings at their top; copied from the browser,
    they come before the body. The body's headings open the sections and the body's
    paragraphs are where they belong."""
    title, *body = BLOCKS_LI_2019
    body = [" ".join(b.split("\n")) for b in body]
    text = web_text(title, "Table of Contents", *TOC_LI_2019, *body)
    report = parse(text)
    expected = {s.code: s.paragraphs for s in report_li_2019.sections if s.code != "summary"}
    found = {s.code: s.paragraphs for s in report.sections if s.code != "summary"}
    assert found == expected
    summary = section(report, "summary").paragraphs
    assert summary[-3:] == section(report_li_2019, "summary").paragraphs


def test_numbered_list_in_body_text_opens_no_section(report_li_2019):
    """A numbered list whose items name later sections' subjects ("4. Corruption…") is text of
    the subsection it is printed in."""
    items = [
        "The ombudsman’s annual report listed the following concerns:",
        Lines("1. Torture and ill-treatment in pretrial detention."),
        Lines("2. Restrictions on freedom of religion."),
        Lines("3. Obstacles to participation in the political process."),
        Lines("4. Corruption in the judiciary."),
    ]
    blocks = insert_after(
        BLOCKS_LI_2019,
        Lines("c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment"),
        *items,
    )
    report = parse(pdf_text(*blocks))
    assert codes(report) == codes(report_li_2019)
    paragraphs = section(report, "1c").paragraphs
    assert paragraphs[-1] == "4. Corruption in the judiciary."
    assert len(paragraphs) == 6
    assert counts(report) == {**counts(report_li_2019), "1c": 6}


def test_body_lines_starting_with_section_and_a_number_are_text(report_li_2019):
    """ "Section 5 of the Criminal Code…" in a common-law country's report: a sentence, not the
    heading of section 5, whether it starts a paragraph or a wrapped line."""
    blocks = insert_after(
        BLOCKS_LI_2019,
        Lines("c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment"),
        Lines(
            "Section 5 of the Criminal Code prohibits torture and provides for up to 10 years\n"
            "in prison.  The government investigated one complaint of mistreatment by police.\n"
            "Section 5 of the Law on Nongovernmental Organizations requires foreign-funded\n"
            "groups to report their income."
        ),
    )
    report = parse(pdf_text(*blocks))
    assert codes(report) == codes(report_li_2019)
    assert section(report, "1c").paragraphs[1].startswith("Section 5 of the Criminal Code")
    assert section(report, "5").paragraphs == section(report_li_2019, "5").paragraphs
    assert words_in_order(report) == words(pdf_text(*blocks))


def test_bullet_lists_inside_a_subsection_stay_its_text(report_li_2019):
    bullets = [
        "The Public Monitoring Commission reported the following problems in the prison:",
        Lines("• overcrowding in the pretrial wing;"),
        Lines("• lack of psychiatric care; and"),
        Lines("• Insufficient Staffing"),
        Lines("- limited access to lawyers."),
    ]
    blocks = insert_after(BLOCKS_LI_2019, Lines("Prison and Detention Center Conditions"), *bullets)
    report = parse(pdf_text(*blocks))
    assert codes(report) == codes(report_li_2019)
    assert words_in_order(report) == words(pdf_text(*blocks))
    prisons = " ".join(section(report, "1c-prisons").paragraphs)
    assert "overcrowding in the pretrial wing" in prisons and "Insufficient Staffing" in prisons


# --- Markdown variants ------------------------------------------------------------------------


def markdown_li_2019(heading) -> str:
    """Liechtenstein 2019 as Markdown, each heading written by `heading(level, text)`."""
    out = []
    for block in BLOCKS_LI_2019:
        if isinstance(block, Lines):
            text = " ".join(block.split("\n"))
            if text.startswith("Section"):
                level = 2
            elif re.match(r"^[a-g]\. ", text):
                level = 3
            elif block is BLOCKS_LI_2019[0]:
                level = 1
            else:
                level = 4
            out.append(heading(level, text))
        else:
            out.append(block)
    return web_text(*out)


def test_markdown_with_bold_lines_as_headings(report_li_2019):
    """Converters of Word files and of pages styled with <p><strong> write headings as bold
    lines ("**Section 1. Respect…**"), with no "#" anywhere."""
    text = markdown_li_2019(lambda level, title: f"**{title}**")
    assert "#" not in text
    report = parse(text)
    assert [(s.code, s.title) for s in report.sections] == [
        (s.code, s.title) for s in report_li_2019.sections
    ]
    assert report.title == "LIECHTENSTEIN 2019 HUMAN RIGHTS REPORT"
    assert not [p for p in all_paragraphs(report) if "**" in p]


def test_markdown_with_setext_headings(report_li_2019):
    """Pandoc (before 2.11) writes levels 1 and 2 as setext headings, underlined with "=" and
    "-"; the underlines are mark-up, not paragraphs."""

    def heading(level, title):
        if level <= 2:
            return title + "\n" + ("=" if level == 1 else "-") * len(title)
        return "#" * level + " " + title

    report = parse(markdown_li_2019(heading))
    assert [(s.code, s.title) for s in report.sections] == [
        (s.code, s.title) for s in report_li_2019.sections
    ]
    assert report.title == "LIECHTENSTEIN 2019 HUMAN RIGHTS REPORT"
    assert not [p for p in all_paragraphs(report) if set(p) <= set("=-")]
    assert counts(report) == counts(report_li_2019)


def test_markdown_saved_raw_with_html_entities_reads_as_printed(report_li_2019):
    """A page saved raw keeps HTML entities: "&amp;", "&nbsp;", "&#8217;" read as the
    characters they stand for."""
    text = markdown_li_2019(lambda level, title: "#" * level + " " + title)
    raw = (
        text.replace("’", "&#8217;")
        .replace("Physical Conditions:  ", "Physical Conditions:&nbsp; ")
        .replace("Discrimination, and Other Abuses", "Discrimination, &amp; Other Abuses")
    )
    assert "&#8217;" in raw and "&nbsp;" in raw and "&amp;" in raw
    report = parse(raw)
    assert codes(report) == codes(report_li_2019)
    assert not [p for p in all_paragraphs(report) if re.search(r"&(#\d+|[a-z]+);", p)]
    assert section(report, "6-lgbti").title.startswith("Acts of Violence, Discrimination, & Other")
    assert section(report, "2c").paragraphs == section(report_li_2019, "2c").paragraphs
