"""The State Department's Country Reports outlines, as data.

The outline changed over the years, so there are several layouts (six sections before about
2010, seven sections until 2022, the 2023 renumbering, three sections from 2024). Each layout
is a table of rows (code, parent, subject); a subject carries the kk/en/ru titles, the heading
patterns per language and the topic slugs. Codes are stable within a layout (permalinks
depend on them); topics carry a subject across layouts and years (torture is 1c in 2001 and
2022, 3a in 2024).

Patterns are regular expressions matched (with `re.search`) against a printed heading after
it is lower-cased and its spaces collapsed; anchor them with `^`/`$` where a short pattern
could match the start of an ordinary sentence. Every language's patterns are tried on every
heading, so a report uploaded with the wrong language still finds its outline.
"""

import re
from dataclasses import dataclass, field

SUMMARY = "summary"
SECTION = "section"
SUBSECTION = "subsection"
SUBHEADING = "subheading"

LANGUAGES = ("kk", "en", "ru")


@dataclass(frozen=True)
class Wording:
    """A subject's title in one language and the patterns that recognise its headings."""

    title: str
    patterns: tuple[str, ...] = ()

    def __init__(self, title: str, *patterns: str):
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "patterns", patterns)


@dataclass(frozen=True)
class Subject:
    """What a heading is about, whatever its code in a layout."""

    key: str
    short: str
    kk: Wording
    en: Wording
    ru: Wording
    topics: tuple[str, ...] = ()
    # Printed only where it applies (a country in armed conflict): no warning when missing.
    optional: bool = False

    def wording(self, language: str) -> Wording:
        return getattr(self, language)


@dataclass(frozen=True)
class OutlineEntry:
    """One place in one layout's outline."""

    code: str
    parent: str | None
    kind: str
    subject: Subject
    order: int = field(default=0, compare=False)

    @property
    def letter(self) -> str | None:
        """The printed letter of a lettered subsection ("c" for 1c), else None."""
        return self.code[-1] if self.kind == SUBSECTION else None

    @property
    def short(self) -> str:
        return self.subject.short

    @property
    def topics(self) -> tuple[str, ...]:
        return self.subject.topics

    def title(self, language: str) -> str:
        """The title in kk, en or ru."""
        return self.subject.wording(language).title

    @property
    def title_kk(self) -> str:
        return self.title("kk")

    @property
    def title_en(self) -> str:
        return self.title("en")

    @property
    def title_ru(self) -> str:
        return self.title("ru")

    def patterns(self, language: str | None = None) -> tuple[str, ...]:
        """The heading patterns of one language, or of all three."""
        languages = (language,) if language else LANGUAGES
        return tuple(p for lang in languages for p in self.subject.wording(lang).patterns)


def kind_of(code: str) -> str:
    """An outline code's kind, from its shape: "1" section, "1c" subsection, "1c-x" sub-heading."""
    if code in ("summary", "intro"):
        return SUMMARY
    if code.isdigit():
        return SECTION
    if re.fullmatch(r"\d+[a-z]", code):
        return SUBSECTION
    return SUBHEADING


@dataclass(frozen=True)
class Layout:
    """One version of the outline: its entries in canonical order."""

    slug: str
    name: str
    years: str
    entries: tuple[OutlineEntry, ...]

    def entry(self, code: str) -> OutlineEntry:
        """The entry with this code; KeyError if there is none."""
        for outline_entry in self.entries:
            if outline_entry.code == code:
                return outline_entry
        raise KeyError(code)

    def children(self, code: str | None) -> list[OutlineEntry]:
        """Entries whose parent is `code` (None: the top level), in canonical order."""
        return [e for e in self.entries if e.parent == code]

    @property
    def opening(self) -> OutlineEntry:
        """The entry for text before the first numbered section (summary or introduction)."""
        return self.entries[0]


TOPICS: dict[str, dict[str, str]] = {
    "killings": {
        "kk": "Заңсыз кісі өлтіру",
        "en": "Unlawful killings",
        "ru": "Незаконные убийства",
    },
    "disappearance": {
        "kk": "Із-түзсіз жоғалу",
        "en": "Disappearance",
        "ru": "Исчезновения",
    },
    "torture": {"kk": "Азаптау", "en": "Torture", "ru": "Пытки"},
    "prisons": {
        "kk": "Түрмелердегі жағдай",
        "en": "Prison conditions",
        "ru": "Условия в тюрьмах",
    },
    "arrest": {
        "kk": "Негізсіз қамауға алу",
        "en": "Arbitrary arrest",
        "ru": "Произвольные аресты",
    },
    "courts": {"kk": "Әділ сот", "en": "Fair trial", "ru": "Справедливый суд"},
    "political-prisoners": {
        "kk": "Саяси тұтқындар",
        "en": "Political prisoners",
        "ru": "Политические заключенные",
    },
    "transnational-repression": {
        "kk": "Трансұлттық қуғын-сүргін",
        "en": "Transnational repression",
        "ru": "Транснациональные репрессии",
    },
    "property": {
        "kk": "Мүлікті тәркілеу",
        "en": "Property seizure",
        "ru": "Изъятие имущества",
    },
    "privacy": {
        "kk": "Жеке өмірге араласу",
        "en": "Privacy",
        "ru": "Неприкосновенность частной жизни",
    },
    "conflict": {
        "kk": "Қақтығыстардағы зорлық-зомбылық",
        "en": "Conflict-related abuses",
        "ru": "Нарушения в ходе конфликтов",
    },
    "press-freedom": {
        "kk": "Сөз және баспасөз бостандығы",
        "en": "Freedom of expression and the press",
        "ru": "Свобода слова и печати",
    },
    "internet": {
        "kk": "Интернет еркіндігі",
        "en": "Internet freedom",
        "ru": "Свобода интернета",
    },
    "academic-freedom": {
        "kk": "Академиялық еркіндік",
        "en": "Academic freedom",
        "ru": "Академическая свобода",
    },
    "assembly": {
        "kk": "Бейбіт жиын бостандығы",
        "en": "Peaceful assembly",
        "ru": "Свобода мирных собраний",
    },
    "association": {
        "kk": "Бірлесу бостандығы",
        "en": "Freedom of association",
        "ru": "Свобода объединений",
    },
    "religion": {
        "kk": "Дін бостандығы",
        "en": "Religious freedom",
        "ru": "Свобода вероисповедания",
    },
    "movement": {
        "kk": "Жүріп-тұру еркіндігі",
        "en": "Freedom of movement",
        "ru": "Свобода передвижения",
    },
    "refugees": {"kk": "Босқындар", "en": "Refugees", "ru": "Беженцы"},
    "displaced-persons": {
        "kk": "Ішкі қоныс аударушылар",
        "en": "Internally displaced persons",
        "ru": "Внутренне перемещенные лица",
    },
    "statelessness": {
        "kk": "Азаматтығы жоқ адамдар",
        "en": "Stateless persons",
        "ru": "Лица без гражданства",
    },
    "elections": {"kk": "Сайлау", "en": "Elections", "ru": "Выборы"},
    "corruption": {"kk": "Сыбайлас жемқорлық", "en": "Corruption", "ru": "Коррупция"},
    "ngos": {
        "kk": "Құқық қорғау ұйымдары",
        "en": "Human rights organizations",
        "ru": "Правозащитные организации",
    },
    "discrimination": {"kk": "Кемсіту", "en": "Discrimination", "ru": "Дискриминация"},
    "women": {"kk": "Әйелдер", "en": "Women", "ru": "Женщины"},
    "ethnic-minorities": {
        "kk": "Нәсілдік және этникалық топтар",
        "en": "Racial and ethnic groups",
        "ru": "Расовые и этнические группы",
    },
    "indigenous-peoples": {
        "kk": "Байырғы халықтар",
        "en": "Indigenous peoples",
        "ru": "Коренные народы",
    },
    "children": {"kk": "Балалар", "en": "Children", "ru": "Дети"},
    "antisemitism": {"kk": "Антисемитизм", "en": "Antisemitism", "ru": "Антисемитизм"},
    "trafficking": {"kk": "Адам саудасы", "en": "Trafficking in persons", "ru": "Торговля людьми"},
    "lgbti": {"kk": "ЛГБТКИ+ адамдар", "en": "LGBTQI+ persons", "ru": "ЛГБТКИ+ люди"},
    "disabilities": {
        "kk": "Мүмкіндігі шектеулі адамдар",
        "en": "Persons with disabilities",
        "ru": "Лица с инвалидностью",
    },
    "labour": {"kk": "Еңбек құқықтары", "en": "Worker rights", "ru": "Права работников"},
    "forced-labour": {"kk": "Мәжбүрлі еңбек", "en": "Forced labour", "ru": "Принудительный труд"},
    "child-labour": {"kk": "Бала еңбегі", "en": "Child labour", "ru": "Детский труд"},
    "working-conditions": {
        "kk": "Еңбек жағдайлары",
        "en": "Working conditions",
        "ru": "Условия труда",
    },
}


# Every subject any layout uses, by key. Titles are the canonical wording of the latest
# layout that has the subject; patterns also cover the wordings of earlier years.
# fmt: off
_SUBJECTS = (
    # Openings
    Subject(
        key="summary", short="summary",
        kk=Wording("Қысқаша шолу", r"^қысқаша (шолу|мазмұны)", r"^түйіндеме$", r"^атқарушы түйін"),
        en=Wording("Executive Summary", r"^executive summary$", r"^summary$"),
        ru=Wording("Краткое изложение", r"^краткое (изложение|резюме|содержание)$",
                   r"^резюме$"),
    ),
    Subject(
        key="intro", short="introduction",
        kk=Wording("Кіріспе", r"^кіріспе$"),
        en=Wording("Introduction", r"^introduction$"),
        ru=Wording("Введение", r"^введение$"),
    ),
    # Integrity of the person
    Subject(
        key="integrity", short="integrity of the person",
        kk=Wording("Жеке адам дербестігін құрметтеу",
                   r"дербестіг", r"жеке адам", r"қол сұғылмаушылы"),
        en=Wording("Respect for the Integrity of the Person", r"integrity of the person"),
        ru=Wording("Уважение неприкосновенности личности", r"неприкосновенност\w* личност"),
    ),
    Subject(
        key="killings", short="killings", topics=("killings",),
        kk=Wording("Негізсіз немесе басқа да заңсыз, саяси себептермен адам өлтіру",
                   r"өлтіру", r"өмірі?нен айыру"),
        en=Wording("Arbitrary Deprivation of Life and Other Unlawful or Politically "
                   "Motivated Killings", r"killing", r"deprivation of life"),
        ru=Wording("Произвольное лишение жизни и другие незаконные или политически "
                   "мотивированные убийства", r"убийств", r"лишение жизни"),
    ),
    Subject(
        key="disappearance", short="disappearance", topics=("disappearance",),
        kk=Wording("Із-түзсіз жоғалу", r"жоғал", r"ұрлап әкет"),
        en=Wording("Disappearance", r"disappearance", r"abduction"),
        ru=Wording("Исчезновения", r"исчезновени", r"похищени"),
    ),
    Subject(
        key="torture", short="torture", topics=("torture",),
        kk=Wording("Азаптау және адамгершілікке жатпайтын немесе адамның ар-намысын қорлайтын "
                   "қатыгез әрекеттер немесе жазалар", r"азапта", r"қатыгез"),
        en=Wording("Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, "
                   "and Other Related Abuses", r"torture", r"cruel, inhuman"),
        ru=Wording("Пытки и другие жестокие, бесчеловечные или унижающие достоинство виды "
                   "обращения и наказания", r"пытк", r"жесток\w* бесчеловеч"),
    ),
    Subject(
        key="prisons", short="prison conditions", topics=("prisons",),
        kk=Wording("Түрме мен қамау изоляторларының жағдайы", r"^түрме.*(жағдай|изолятор)"),
        en=Wording("Prison and Detention Center Conditions",
                   r"^prison (and detention (center|facility) )?conditions"),
        ru=Wording("Условия содержания в тюрьмах и следственных изоляторах",
                   r"^условия (содержания )?(в )?(тюрьм|мест)"),
    ),
    Subject(
        key="arrest", short="arbitrary arrest", topics=("arrest",),
        kk=Wording("Негізсіз қамауға алу немесе тұтқындау", r"қамауға алу", r"тұтқында"),
        en=Wording("Arbitrary Arrest or Detention", r"arbitrary arrest", r"detention\b|exile"),
        ru=Wording("Произвольные аресты или задержания", r"арест", r"задержани"),
    ),
    Subject(
        key="arrest-procedures", short="arrest procedures", topics=("arrest",),
        kk=Wording("Қамауға алу тәртібі және қамаудағыларға деген көзқарас",
                   r"^(қамауға алу|тұтқындау) (тәртібі|рәсімдері)"),
        en=Wording("Arrest Procedures and Treatment of Detainees", r"^arrest procedures",
                   r"^arrest and detention$"),
        ru=Wording("Процедуры ареста и обращение с задержанными", r"^процедуры ареста"),
    ),
    Subject(
        key="police", short="police and security apparatus", topics=("arrest",),
        kk=Wording("Полиция мен қауіпсіздік органдарының рөлі", r"^полиция.*рөлі"),
        en=Wording("Role of the Police and Security Apparatus", r"^role of the police"),
        ru=Wording("Роль полиции и силовых структур", r"^роль полиции"),
    ),
    Subject(
        key="fair-trial", short="fair trial", topics=("courts",),
        kk=Wording("Әділ, ашық сот ісіне жол бермеу", r"сот (ісі|талқылау|процес)", r"әділ"),
        en=Wording("Denial of Fair Public Trial", r"fair (and )?public trial", r"fair trial"),
        ru=Wording("Отказ в справедливом публичном судебном разбирательстве",
                   r"справедлив\w* (публичн\w* )?судебн"),
    ),
    Subject(
        key="trial-procedures", short="trial procedures", topics=("courts",),
        kk=Wording("Сот ісін жүргізу тәртібі",
                   r"^сот (ісін жүргізу|талқылауының|процесінің) (тәртібі|рәсімдері)"),
        en=Wording("Trial Procedures", r"^trial procedures$"),
        ru=Wording("Процедуры судебного разбирательства", r"^процедуры судебного"),
    ),
    Subject(
        key="political-prisoners", short="political prisoners", topics=("political-prisoners",),
        kk=Wording("Саяси тұтқындар мен қамауға алынғандар", r"^саяси тұтқындар"),
        en=Wording("Political Prisoners and Detainees", r"^political prisoners"),
        ru=Wording("Политические заключенные и задержанные", r"^политические заключ"),
    ),
    Subject(
        key="transnational", short="transnational repression",
        topics=("transnational-repression",),
        kk=Wording("Трансұлттық қуғын-сүргін", r"^трансұлттық"),
        en=Wording("Transnational Repression", r"transnational repression"),
        ru=Wording("Транснациональные репрессии", r"транснациональн"),
    ),
    Subject(
        key="civil-procedures", short="civil judicial procedures", topics=("courts",),
        kk=Wording("Азаматтық сот ісін жүргізу процессі мен құқық қорғау қызметі",
                   r"^азаматтық сот"),
        en=Wording("Civil Judicial Procedures and Remedies", r"^civil judicial procedures"),
        ru=Wording("Гражданские судебные процедуры и средства правовой защиты",
                   r"^гражданск\w* судебн"),
    ),
    Subject(
        key="property", short="property seizure", topics=("property",),
        kk=Wording("Мүлікті тәркілеу және қайтару", r"^мүлікті? (тәркілеу|қайтару|реституция)"),
        en=Wording("Property Seizure and Restitution", r"^property (seizure|restitution)"),
        ru=Wording("Изъятие и реституция имущества", r"^(изъятие|реституция)\w* .*имуществ"),
    ),
    Subject(
        key="privacy", short="privacy", topics=("privacy",),
        kk=Wording("Жеке өміріне, отбасына, үйіне заңсыз араласу немесе корреспонденциясын "
                   "заңсыз тексеру", r"жеке өмір", r"араласу", r"корреспонденция"),
        en=Wording("Arbitrary or Unlawful Interference with Privacy, Family, Home, or "
                   "Correspondence", r"privacy", r"correspondence"),
        ru=Wording("Произвольное или незаконное вмешательство в частную жизнь, семью, жилище "
                   "или переписку", r"частн\w* жизн", r"переписк"),
    ),
    Subject(
        key="conflict", short="conflict-related abuses", topics=("conflict",), optional=True,
        kk=Wording("Ішкі қақтығыстарда шектен тыс күш қолдану",
                   r"шектен тыс күш", r"қақтығыс"),
        en=Wording("Use of Excessive Force and Other Abuses in Internal Conflicts",
                   r"excessive force", r"internal conflict", r"conflict-related abuses"),
        ru=Wording("Чрезмерное применение силы и другие нарушения во внутренних конфликтах",
                   r"чрезмерн\w* (применени\w* )?сил", r"конфликт"),
    ),
    # Civil liberties
    Subject(
        key="civil-liberties", short="civil liberties",
        kk=Wording("Азаматтық еркіндікті құрметтеу", r"азаматтық (еркіндік|бостандық)"),
        en=Wording("Respect for Civil Liberties", r"civil liberties"),
        ru=Wording("Уважение гражданских свобод", r"гражданских (свобод|прав)"),
    ),
    Subject(
        key="press-freedom", short="freedom of expression", topics=("press-freedom",),
        kk=Wording("Сөз және баспасөз бостандығы", r"сөз", r"баспасөз", r"пікір білдіру"),
        en=Wording("Freedom of Expression, Including for Members of the Press and Other Media",
                   r"freedom of (speech|expression)", r"freedom of the press", r"\bpress\b"),
        ru=Wording("Свобода выражения мнений, в том числе для представителей прессы и других "
                   "СМИ", r"свобод\w* (слова|выражения)", r"\b(печати|прессы|сми)\b"),
    ),
    Subject(
        key="internet", short="internet freedom", topics=("internet",),
        kk=Wording("Интернет еркіндігі", r"^интернет (еркіндігі|бостандығы)"),
        en=Wording("Internet Freedom", r"^internet freedom$"),
        ru=Wording("Свобода интернета", r"^свобода (в )?интернет"),
    ),
    Subject(
        key="academic", short="academic freedom", topics=("academic-freedom",),
        kk=Wording("Академиялық еркіндік пен мәдени іс-шаралар бойынша шектеулер",
                   r"^академиялық"),
        en=Wording("Restrictions on Academic Freedom and Cultural Events",
                   r"^(restrictions on )?academic freedom"),
        ru=Wording("Ограничения академической свободы и культурных мероприятий",
                   r"^(ограничения )?академическ"),
    ),
    Subject(
        key="assembly-association", short="assembly and association",
        topics=("assembly", "association"),
        kk=Wording("Бейбіт жиын өткізу және бас қосу бостандығы",
                   r"жиын", r"жиналыс", r"бас қосу", r"бірлесу"),
        en=Wording("Freedoms of Peaceful Assembly and Association", r"peaceful assembly",
                   r"association"),
        ru=Wording("Свобода мирных собраний и объединений", r"мирных собраний",
                   r"объединени"),
    ),
    Subject(
        key="assembly", short="peaceful assembly", topics=("assembly",),
        kk=Wording("Бейбіт жиын өткізу бостандығы",
                   r"^бейбіт жиын[а-яәғқңөұүһі ]* (бостандығы|еркіндігі)$"),
        en=Wording("Freedom of Peaceful Assembly", r"^freedom of (peaceful )?assembly$"),
        ru=Wording("Свобода мирных собраний", r"^свобода (мирных )?собраний$"),
    ),
    Subject(
        key="association", short="association", topics=("association",),
        kk=Wording("Бас қосу бостандығы",
                   r"^(бас қосу|бірлесу|бірлестік(тер)?) (бостандығы|еркіндігі)$"),
        en=Wording("Freedom of Association", r"^freedom of association$"),
        ru=Wording("Свобода объединений", r"^свобода (объединений|ассоциаций)$"),
    ),
    Subject(
        key="religion", short="religion", topics=("religion",),
        kk=Wording("Дін бостандығы", r"дін", r"наным"),
        en=Wording("Freedom of Religion", r"religio"),
        ru=Wording("Свобода вероисповедания", r"вероисповедани", r"религи"),
    ),
    Subject(
        key="movement", short="freedom of movement", topics=("movement",),
        kk=Wording("Жүріп-тұру еркіндігі және елден біржолата кету құқығы",
                   r"жүріп-тұру", r"елден .*кету"),
        en=Wording("Freedom of Movement and the Right to Leave the Country",
                   r"freedom of movement", r"leave the country", r"foreign travel"),
        ru=Wording("Свобода передвижения и право на выезд из страны", r"передвижени",
                   r"выезд"),
    ),
    Subject(
        key="refugees", short="refugees", topics=("refugees",),
        kk=Wording("Босқындарды қорғау", r"босқын"),
        en=Wording("Protection of Refugees", r"refugee"),
        ru=Wording("Защита беженцев", r"беженц"),
    ),
    Subject(
        key="displaced", short="internally displaced persons", topics=("displaced-persons",),
        kk=Wording("Ішінен ауысқан адамдардың мәртебесі мен қарым-қатынасы",
                   r"ішінен ауысқан", r"ішкі қоныс", r"ел ішінде қоныс"),
        en=Wording("Status and Treatment of Internally Displaced Persons",
                   r"internally displaced"),
        ru=Wording("Положение внутренне перемещенных лиц и обращение с ними",
                   r"внутренне перемещ"),
    ),
    Subject(
        key="stateless", short="stateless persons", topics=("statelessness",),
        kk=Wording("Азаматтығы жоқ адамдар", r"азаматтығы жоқ"),
        en=Wording("Stateless Persons", r"stateless"),
        ru=Wording("Лица без гражданства", r"без гражданства"),
    ),
    # Political participation
    Subject(
        key="political-process", short="political participation", topics=("elections",),
        kk=Wording("Саяси процеске қатысу бостандығы", r"саяси процес", r"саяси құқық"),
        en=Wording("Freedom to Participate in the Political Process", r"political process",
                   r"political rights", r"change their government"),
        ru=Wording("Свобода участия в политическом процессе", r"политическом процессе",
                   r"политических прав"),
    ),
    Subject(
        key="elections", short="elections", topics=("elections",),
        kk=Wording("Сайлау және саяси белсенділік", r"^сайлау(лар)? және саяси"),
        en=Wording("Elections and Political Participation", r"^elections and political"),
        ru=Wording("Выборы и участие в политической жизни", r"^выборы и (участие|политическ)"),
    ),
    Subject(
        key="corruption", short="corruption", topics=("corruption",),
        kk=Wording("Сыбайлас жемқорлық және үкіметте ашықтықтың болмауы",
                   r"жемқорлық", r"ашықтық"),
        en=Wording("Corruption and Lack of Transparency in Government", r"corruption",
                   r"transparency"),
        ru=Wording("Коррупция и отсутствие прозрачности в работе правительства",
                   r"коррупци", r"прозрачност"),
    ),
    Subject(
        key="corruption-note", short="corruption", topics=("corruption",),
        kk=Wording("Үкіметтегі сыбайлас жемқорлық және ашықтық", r"^үкімет.*жемқорлық"),
        en=Wording("Government Corruption and Transparency", r"^government corruption"),
        ru=Wording("Коррупция в правительстве и прозрачность", r"^коррупция в правительств"),
    ),
    Subject(
        key="ngos", short="NGO investigations", topics=("ngos",),
        kk=Wording("Адам құқығының бұзылу ықтималдығына қатысты халықаралық және үкіметтік "
                   "емес ұйымдар тергеуіне биліктің көзқарасы", r"үкіметтік емес", r"тергеу"),
        en=Wording("Governmental Posture Towards International and Nongovernmental "
                   "Investigation of Alleged Abuses of Human Rights", r"nongovernmental",
                   r"non-governmental", r"investigation"),
        ru=Wording("Отношение правительства к международным и неправительственным "
                   "расследованиям предполагаемых нарушений прав человека",
                   r"неправительственн", r"расследовани"),
    ),
    # Discrimination
    Subject(
        key="discrimination", short="discrimination", topics=("discrimination",),
        kk=Wording("Кемсіту және әлеуметтік қатыгездік", r"кемсіт"),
        en=Wording("Discrimination and Societal Abuses", r"discrimination", r"societal abuses"),
        ru=Wording("Дискриминация и социальные злоупотребления", r"дискриминаци",
                   r"злоупотреблени"),
    ),
    Subject(
        key="women", short="women", topics=("women",),
        kk=Wording("Әйелдер", r"^әйелдер$"),
        en=Wording("Women", r"^women$"),
        ru=Wording("Женщины", r"^женщины$"),
    ),
    Subject(
        key="ethnic", short="racial or ethnic violence",
        topics=("ethnic-minorities", "discrimination"),
        kk=Wording("Нәсілдік және этникалық зорлық-зомбылықтың жүйелі түрде орын алуы және "
                   "кемсіту", r"^(жүйелі )?нәсілдік (және|немесе) этникалық",
                   r"^ұлттық.*азшылық"),
        en=Wording("Systemic Racial or Ethnic Violence and Discrimination",
                   r"^(systemic )?racial (or|and) ethnic", r"^national.{0,20}minorit"),
        ru=Wording("Систематическое насилие и дискриминация по расовому или этническому "
                   "признаку", r"(расов|этническ)\w* .*(насили|дискриминац|меньшинств)",
                   r"(насили|дискриминац)\w* .*(расов|этническ)",
                   r"^национальн\w* .*меньшинств"),
    ),
    Subject(
        key="indigenous", short="indigenous peoples", topics=("indigenous-peoples",),
        kk=Wording("Байырғы халықтар", r"^байырғы халық"),
        en=Wording("Indigenous Peoples", r"^indigenous (people|peoples|persons)$"),
        ru=Wording("Коренные народы", r"^коренн\w* (народ|населени)"),
    ),
    Subject(
        key="religious-minorities", short="religious minorities",
        topics=("religion", "discrimination"),
        kk=Wording("Діни азшылықтар", r"^діни азшылық"),
        en=Wording("Religious Minorities", r"^religious minorities$"),
        ru=Wording("Религиозные меньшинства", r"^религиозные меньшинства$"),
    ),
    Subject(
        key="children", short="children", topics=("children",),
        kk=Wording("Балалар", r"^балалар$", r"^балаларды қорғау$"),
        en=Wording("Children", r"^children$", r"^protection of children$"),
        ru=Wording("Дети", r"^дети$", r"^защита детей$"),
    ),
    Subject(
        key="antisemitism", short="antisemitism", topics=("antisemitism",),
        kk=Wording("Антисемитизм", r"^антисемитизм$"),
        en=Wording("Antisemitism", r"^anti-?semitism$"),
        ru=Wording("Антисемитизм", r"^антисемитизм$"),
    ),
    Subject(
        key="trafficking", short="trafficking", topics=("trafficking",),
        kk=Wording("Адам саудасы", r"^адам саудасы$", r"^адамдарды? сату$"),
        en=Wording("Trafficking in Persons", r"^trafficking in persons$"),
        ru=Wording("Торговля людьми", r"^торговля людьми$"),
    ),
    Subject(
        key="lgbti", short="sexual orientation and gender identity", topics=("lgbti",),
        kk=Wording("Жыныстық ориентациясы мен гендерлік ерекшелік негізінде орын алатын "
                   "зорлық-зомбылық, криминализация және басқа да құқық бұзу жағдайы",
                   r"^жыныстық (ориентация|бағдар|бағыт)",
                   r"^(зорлық-зомбылық|криминализация).*гендерлік"),
        en=Wording("Acts of Violence, Criminalization, and Other Abuses Based on Sexual "
                   "Orientation, Gender Identity or Expression, or Sex Characteristics",
                   r"sexual orientation", r"gender identity"),
        ru=Wording("Акты насилия, криминализация и другие нарушения на почве сексуальной "
                   "ориентации, гендерной идентичности или самовыражения либо половых "
                   "признаков", r"сексуальн\w* ориентаци", r"гендерн\w* идентичност"),
    ),
    Subject(
        key="disabilities", short="persons with disabilities", topics=("disabilities",),
        kk=Wording("Мүмкіндігі шектеулі жандар",
                   r"^мүмкіндігі шектеулі (жандар|адамдар|тұлғалар)$", r"^мүгедек(тер|тігі бар)"),
        en=Wording("Persons with Disabilities", r"^(persons|people) with disabilities$"),
        ru=Wording("Лица с инвалидностью", r"^(лица|люди) с (инвалидност|ограниченн)",
                   r"^инвалид"),
    ),
    Subject(
        key="hiv", short="HIV and AIDS stigma", topics=("discrimination",),
        kk=Wording("АИТВ және ЖИТС-ке байланысты әлеуметтік кемсіту", r"^(аитв|житс)"),
        en=Wording("HIV and AIDS Social Stigma", r"^hiv and aids"),
        ru=Wording("Социальная стигматизация в связи с ВИЧ и СПИДом", r"вич\b.*спид"),
    ),
    Subject(
        key="other-societal", short="other societal violence", topics=("discrimination",),
        kk=Wording("Басқа әлеуметтік зорлық-зомбылық немесе кемсітушілік",
                   r"^(басқа|өзге) (да )?әлеуметтік"),
        en=Wording("Other Societal Violence or Discrimination", r"^other societal"),
        ru=Wording("Другие виды насилия или дискриминации в обществе",
                   r"^(другие|прочие) (виды |проявления )?(социальн|общественн|насили)"),
    ),
    # Worker rights
    Subject(
        key="labour", short="worker rights", topics=("labour",),
        kk=Wording("Жұмысшылар құқығы", r"жұмысшылар", r"еңбек"),
        en=Wording("Worker Rights", r"worker rights", r"workers' rights", r"labor rights"),
        ru=Wording("Права работников", r"прав\w* (работников|трудящихся)"),
    ),
    Subject(
        key="union-rights", short="freedom of association", topics=("labour", "association"),
        kk=Wording("Бірлестік еркіндігі және ұжымдық келісім шарт құқығы",
                   r"бірлест", r"ұжымдық"),
        en=Wording("Freedom of Association and the Right to Collective Bargaining",
                   r"collective(ly)? bargain", r"(right|freedom) of association"),
        ru=Wording("Свобода объединений и право на ведение коллективных переговоров",
                   r"коллективн", r"объединени"),
    ),
    Subject(
        key="organizing", short="right to organize", topics=("labour", "association"),
        kk=Wording("Ұйымдасу және ұжымдық келіссөз жүргізу құқығы", r"ұйымдасу", r"ұжымдық"),
        en=Wording("The Right to Organize and Bargain Collectively", r"right to organize",
                   r"bargain collectively"),
        ru=Wording("Право на организацию и ведение коллективных переговоров",
                   r"право на организаци", r"коллективн"),
    ),
    Subject(
        key="forced-labour", short="forced labour", topics=("forced-labour", "labour"),
        kk=Wording("Міндетті немесе мәжбүрлі еңбекке тыйым салу", r"мәжбүрлі", r"міндетті"),
        en=Wording("Prohibition of Forced or Compulsory Labor", r"forced", r"compulsory",
                   r"bonded"),
        ru=Wording("Запрещение принудительного или обязательного труда", r"принудительн",
                   r"обязательн"),
    ),
    Subject(
        key="child-labour", short="child labour", topics=("child-labour", "children", "labour"),
        kk=Wording("Бала еңбегіне тыйым салу және жұмысқа алудың ең төменгі жасы",
                   r"бала(лар)? еңбег", r"ең төменгі жас"),
        en=Wording("Prohibition of Child Labor and Minimum Age for Employment",
                   r"child labou?r", r"minimum age"),
        ru=Wording("Запрещение детского труда и минимальный возраст для приема на работу",
                   r"детск\w* труд", r"минимальн\w* возраст"),
    ),
    Subject(
        key="employment-discrimination", short="employment discrimination",
        topics=("discrimination", "labour"),
        kk=Wording("Жұмыспен қамту және кәсіпке қатысты кемсіту", r"кемсіт"),
        en=Wording("Discrimination with Respect to Employment and Occupation",
                   r"discrimination"),
        ru=Wording("Дискриминация в сфере труда и занятий", r"дискриминаци"),
    ),
    Subject(
        key="work-conditions", short="conditions of work",
        topics=("working-conditions", "labour"),
        kk=Wording("Тиімді еңбек шарты", r"еңбек (шарты|жағдай)"),
        en=Wording("Acceptable Conditions of Work", r"conditions of work",
                   r"work(ing)? conditions"),
        ru=Wording("Приемлемые условия труда", r"условия труда"),
    ),
    # The three sections of 2024
    Subject(
        key="life", short="life",
        kk=Wording("Өмір", r"^өмір$", r"^өмір сүру құқығы$"),
        en=Wording("Life", r"^life$"),
        ru=Wording("Жизнь", r"^жизнь$", r"^право на жизнь$"),
    ),
    Subject(
        key="liberty", short="liberty",
        kk=Wording("Бостандық", r"^(бостандық|еркіндік)$"),
        en=Wording("Liberty", r"^liberty$"),
        ru=Wording("Свобода", r"^свобода$"),
    ),
    Subject(
        key="security", short="security of the person",
        kk=Wording("Жеке адамның қауіпсіздігі", r"^жеке (адамның )?қауіпсіздіг"),
        en=Wording("Security of the Person", r"^security of (the )?person"),
        ru=Wording("Личная безопасность", r"^(личная безопасность|безопасность личности)"),
    ),
    Subject(
        key="population-control", short="coercion in population control", topics=("women",),
        optional=True,
        kk=Wording("Халық санын бақылаудағы мәжбүрлеу", r"халық санын"),
        en=Wording("Coercion in Population Control", r"population control"),
        ru=Wording("Принуждение в сфере контроля рождаемости", r"рождаемост",
                   r"численност\w* населени"),
    ),
)
# fmt: on

SUBJECTS: dict[str, Subject] = {subject.key: subject for subject in _SUBJECTS}


def _layout(slug: str, name: str, years: str, rows: tuple[tuple[str, str | None, str], ...]):
    entries = tuple(
        OutlineEntry(code, parent, kind_of(code), SUBJECTS[key], order)
        for order, (code, parent, key) in enumerate(rows, 1)
    )
    return Layout(slug, name, years, entries)


# Rows shared by the seven-section layouts after section 1.
# fmt: off
_SECTION_2_SEVEN = (
    ("2", None, "civil-liberties"),
    ("2a", "2", "press-freedom"),
    ("2a-internet", "2a", "internet"),
    ("2a-academic", "2a", "academic"),
    ("2b", "2", "assembly-association"),
    ("2b-assembly", "2b", "assembly"),
    ("2b-association", "2b", "association"),
    ("2c", "2", "religion"),
    ("2d", "2", "movement"),
    # About 2012-2016, 2.d covers these as unlettered sub-headings and there is no 2.e-2.g.
    ("2d-displaced", "2d", "displaced"),
    ("2d-refugees", "2d", "refugees"),
    ("2d-stateless", "2d", "stateless"),
    ("2e", "2", "refugees"),
    ("2f", "2", "displaced"),
    ("2g", "2", "stateless"),
)
_SECTIONS_3_TO_7 = (
    ("3", None, "political-process"),
    ("3-elections", "3", "elections"),
    ("4", None, "corruption"),
    ("5", None, "ngos"),
    ("6", None, "discrimination"),
    ("6-women", "6", "women"),
    ("6-ethnic", "6", "ethnic"),
    ("6-indigenous", "6", "indigenous"),
    ("6-children", "6", "children"),
    ("6-antisemitism", "6", "antisemitism"),
    ("6-trafficking", "6", "trafficking"),
    ("6-lgbti", "6", "lgbti"),
    ("6-disabilities", "6", "disabilities"),
    ("6-hiv", "6", "hiv"),
    ("6-other", "6", "other-societal"),
    ("7", None, "labour"),
    ("7a", "7", "union-rights"),
    ("7b", "7", "forced-labour"),
    ("7c", "7", "child-labour"),
    ("7d", "7", "employment-discrimination"),
    ("7e", "7", "work-conditions"),
)
_SECTION_1_OPENING = (
    ("1", None, "integrity"),
    ("1a", "1", "killings"),
    ("1b", "1", "disappearance"),
    ("1c", "1", "torture"),
    ("1c-prisons", "1c", "prisons"),
    ("1d", "1", "arrest"),
    ("1d-police", "1d", "police"),
    ("1d-procedures", "1d", "arrest-procedures"),
    ("1e", "1", "fair-trial"),
    ("1e-trial", "1e", "trial-procedures"),
    ("1e-political-prisoners", "1e", "political-prisoners"),
)

LAYOUTS: dict[str, Layout] = {
    layout.slug: layout
    for layout in (
        _layout("six-sections", "Six sections", "1999 to about 2009", (
            ("intro", None, "intro"),
            ("1", None, "integrity"),
            ("1a", "1", "killings"),
            ("1b", "1", "disappearance"),
            ("1c", "1", "torture"),
            ("1c-prisons", "1c", "prisons"),
            ("1d", "1", "arrest"),
            ("1d-police", "1d", "police"),
            ("1d-procedures", "1d", "arrest-procedures"),
            ("1e", "1", "fair-trial"),
            ("1e-trial", "1e", "trial-procedures"),
            ("1e-political-prisoners", "1e", "political-prisoners"),
            ("1e-civil", "1e", "civil-procedures"),
            ("1f", "1", "privacy"),
            ("1g", "1", "conflict"),
            ("2", None, "civil-liberties"),
            ("2a", "2", "press-freedom"),
            ("2a-internet", "2a", "internet"),
            ("2a-academic", "2a", "academic"),
            ("2b", "2", "assembly-association"),
            ("2b-assembly", "2b", "assembly"),
            ("2b-association", "2b", "association"),
            ("2c", "2", "religion"),
            ("2d", "2", "movement"),
            ("2d-refugees", "2d", "refugees"),
            ("3", None, "political-process"),
            ("3-elections", "3", "elections"),
            ("3-corruption", "3", "corruption-note"),
            ("4", None, "ngos"),
            ("5", None, "discrimination"),
            ("5-women", "5", "women"),
            ("5-children", "5", "children"),
            ("5-trafficking", "5", "trafficking"),
            ("5-disabilities", "5", "disabilities"),
            ("5-religious", "5", "religious-minorities"),
            ("5-ethnic", "5", "ethnic"),
            ("5-indigenous", "5", "indigenous"),
            ("5-other", "5", "other-societal"),
            ("6", None, "labour"),
            ("6a", "6", "union-rights"),
            ("6b", "6", "organizing"),
            ("6c", "6", "forced-labour"),
            ("6d", "6", "child-labour"),
            ("6e", "6", "work-conditions"),
            ("6f", "6", "trafficking"),
        )),
        _layout("seven-sections", "Seven sections", "about 2010 to 2022", (
            ("summary", None, "summary"),
            *_SECTION_1_OPENING,
            ("1e-transnational", "1e", "transnational"),
            ("1e-civil", "1e", "civil-procedures"),
            ("1e-property", "1e", "property"),
            ("1f", "1", "privacy"),
            ("1g", "1", "conflict"),
            *_SECTION_2_SEVEN,
            *_SECTIONS_3_TO_7,
        )),
        _layout("seven-sections-2023", "Seven sections, 2023 numbering", "2023", (
            ("summary", None, "summary"),
            *_SECTION_1_OPENING,
            ("1e-civil", "1e", "civil-procedures"),
            ("1f", "1", "transnational"),
            ("1g", "1", "property"),
            ("1h", "1", "privacy"),
            *_SECTION_2_SEVEN,
            *_SECTIONS_3_TO_7,
        )),
        _layout("three-sections", "Three sections", "2024 onwards", (
            ("summary", None, "summary"),
            ("1", None, "life"),
            ("1a", "1", "killings"),
            ("1b", "1", "population-control"),
            ("2", None, "liberty"),
            ("2a", "2", "press-freedom"),
            ("2a-internet", "2a", "internet"),
            ("2b", "2", "labour"),
            ("2b-association", "2b", "union-rights"),
            ("2b-forced", "2b", "forced-labour"),
            ("2b-child", "2b", "child-labour"),
            ("2b-conditions", "2b", "work-conditions"),
            ("2c", "2", "disappearance"),
            ("3", None, "security"),
            ("3a", "3", "torture"),
            ("3a-prisons", "3a", "prisons"),
            ("3b", "3", "children"),
            ("3c", "3", "refugees"),
            ("3d", "3", "arrest"),
            ("3e", "3", "transnational"),
            ("3f", "3", "trafficking"),
            ("3g", "3", "antisemitism"),
        )),
    )
}
# fmt: on

DEFAULT_LAYOUT = "seven-sections"


def layout(slug: str = DEFAULT_LAYOUT) -> Layout:
    """The layout with this slug; KeyError if there is none."""
    return LAYOUTS[slug]


def outline(layout_slug: str = DEFAULT_LAYOUT) -> tuple[OutlineEntry, ...]:
    """All entries of a layout in canonical order."""
    return LAYOUTS[layout_slug].entries


def entry(code: str, layout_slug: str = DEFAULT_LAYOUT) -> OutlineEntry:
    """The entry with this code in a layout; KeyError if there is none."""
    return LAYOUTS[layout_slug].entry(code)


def children(code: str | None, layout_slug: str = DEFAULT_LAYOUT) -> list[OutlineEntry]:
    """Entries of a layout whose parent is `code` (None: the top level)."""
    return LAYOUTS[layout_slug].children(code)


def topics() -> dict[str, dict[str, str]]:
    """Topic slug -> {"kk", "en", "ru"} names, in display order."""
    return TOPICS


def layout_name(slug: str) -> str:
    """A layout's name and years for readers ("Seven sections (about 2010 to 2022)")."""
    found = LAYOUTS.get(slug)
    return f"{found.name} ({found.years})" if found else slug
