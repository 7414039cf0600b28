"""The State Department's Country Reports outline, as data.

Every report in the archive is mapped onto this outline: an executive summary, sections 1-7,
their lettered subsections, and the unlettered sub-headings printed as separate lines (run-in
headings such as "Сыбайлас жемқорлық:" stay inside their paragraph and are not listed here).
Codes and topic slugs are stable across years: permalinks and topic pages depend on them.

`kk_patterns` are regular expressions matched (with `re.search`) against a printed heading
after it is lower-cased and its spaces collapsed; anchor them with `^`/`$` where a short pattern
could match the start of an ordinary sentence.
"""

from dataclasses import dataclass, field

SUMMARY = "summary"
SECTION = "section"
SUBSECTION = "subsection"
SUBHEADING = "subheading"


@dataclass(frozen=True)
class OutlineEntry:
    """One place in the outline."""

    code: str
    parent: str | None
    kind: str
    title_kk: str
    title_en: str
    title_ru: str
    short: str
    topics: tuple[str, ...] = ()
    kk_patterns: tuple[str, ...] = ()
    order: int = field(default=0, compare=False)

    @property
    def letter(self) -> str | None:
        """The printed letter of a lettered subsection ("c" for 1c), else None."""
        return self.code[-1] if self.kind == SUBSECTION else None

    def title(self, language: str) -> str:
        """The title in kk, en or ru."""
        return {"kk": self.title_kk, "en": self.title_en, "ru": self.title_ru}[language]


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
    "privacy": {
        "kk": "Жеке өмірге араласу",
        "en": "Privacy",
        "ru": "Неприкосновенность частной жизни",
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


def _entry(code, parent, kind, kk, en, ru, short, topics=(), patterns=()) -> OutlineEntry:
    return OutlineEntry(code, parent, kind, kk, en, ru, short, tuple(topics), tuple(patterns))


# In canonical order; `order` is filled in from the position below.
# fmt: off
_OUTLINE = (
    _entry(
        "summary", None, SUMMARY,
        "Қысқаша шолу", "Executive Summary", "Краткое изложение",
        "summary", (),
        (r"^қысқаша (шолу|мазмұны)", r"^түйіндеме$", r"^атқарушы түйін"),
    ),
    # Section 1
    _entry(
        "1", None, SECTION,
        "Жеке адам дербестігін құрметтеу",
        "Respect for the Integrity of the Person",
        "Уважение неприкосновенности личности",
        "integrity of the person", (),
        (r"дербестіг", r"жеке адам", r"қол сұғылмаушылы"),
    ),
    _entry(
        "1a", "1", SUBSECTION,
        "Негізсіз немесе басқа да заңсыз, саяси себептермен адам өлтіру",
        "Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings",
        "Произвольное лишение жизни и другие незаконные или политически мотивированные убийства",
        "killings", ("killings",),
        (r"өлтіру", r"өмірі?нен айыру"),
    ),
    _entry(
        "1b", "1", SUBSECTION,
        "Із-түзсіз жоғалу", "Disappearance", "Исчезновения",
        "disappearance", ("disappearance",),
        (r"жоғал",),
    ),
    _entry(
        "1c", "1", SUBSECTION,
        "Азаптау және адамгершілікке жатпайтын немесе адамның ар-намысын қорлайтын қатыгез "
        "әрекеттер немесе жазалар",
        "Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, "
        "and Other Related Abuses",
        "Пытки и другие жестокие, бесчеловечные или унижающие достоинство виды обращения "
        "и наказания",
        "torture", ("torture",),
        (r"азапта", r"қатыгез"),
    ),
    _entry(
        "1c-prisons", "1c", SUBHEADING,
        "Түрме мен қамау изоляторларының жағдайы",
        "Prison and Detention Center Conditions",
        "Условия содержания в тюрьмах и следственных изоляторах",
        "prison conditions", ("prisons",),
        (r"^түрме.*(жағдай|изолятор)",),
    ),
    _entry(
        "1d", "1", SUBSECTION,
        "Негізсіз қамауға алу немесе тұтқындау",
        "Arbitrary Arrest or Detention",
        "Произвольные аресты или задержания",
        "arbitrary arrest", ("arrest",),
        (r"қамауға алу", r"тұтқында"),
    ),
    _entry(
        "1d-procedures", "1d", SUBHEADING,
        "Қамауға алу тәртібі және қамаудағыларға деген көзқарас",
        "Arrest Procedures and Treatment of Detainees",
        "Процедуры ареста и обращение с задержанными",
        "arrest procedures", ("arrest",),
        (r"^(қамауға алу|тұтқындау) (тәртібі|рәсімдері)",),
    ),
    _entry(
        "1e", "1", SUBSECTION,
        "Әділ, ашық сот ісіне жол бермеу",
        "Denial of Fair Public Trial",
        "Отказ в справедливом публичном судебном разбирательстве",
        "fair trial", ("courts",),
        (r"сот (ісі|талқылау|процес)", r"әділ"),
    ),
    _entry(
        "1e-trial", "1e", SUBHEADING,
        "Сот ісін жүргізу тәртібі", "Trial Procedures", "Процедуры судебного разбирательства",
        "trial procedures", ("courts",),
        (r"^сот (ісін жүргізу|талқылауының|процесінің) (тәртібі|рәсімдері)",),
    ),
    _entry(
        "1e-political-prisoners", "1e", SUBHEADING,
        "Саяси тұтқындар мен қамауға алынғандар",
        "Political Prisoners and Detainees",
        "Политические заключенные и задержанные",
        "political prisoners", ("political-prisoners",),
        (r"^саяси тұтқындар",),
    ),
    _entry(
        "1e-transnational", "1e", SUBHEADING,
        "Трансұлттық қуғын-сүргін", "Transnational Repression", "Транснациональные репрессии",
        "transnational repression", ("transnational-repression",),
        (r"^трансұлттық",),
    ),
    _entry(
        "1e-civil", "1e", SUBHEADING,
        "Азаматтық сот ісін жүргізу процессі мен құқық қорғау қызметі",
        "Civil Judicial Procedures and Remedies",
        "Гражданские судебные процедуры и средства правовой защиты",
        "civil judicial procedures", ("courts",),
        (r"^азаматтық сот",),
    ),
    _entry(
        "1e-property", "1e", SUBHEADING,
        "Мүлікті тәркілеу және қайтару", "Property Seizure and Restitution",
        "Изъятие и реституция имущества",
        "property restitution", ("courts",),
        (r"^мүлікті? (тәркілеу|қайтару|реституция)",),
    ),
    _entry(
        "1f", "1", SUBSECTION,
        "Жеке өміріне, отбасына, үйіне заңсыз араласу немесе корреспонденциясын заңсыз тексеру",
        "Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence",
        "Произвольное или незаконное вмешательство в частную жизнь, семью, жилище или переписку",
        "privacy", ("privacy",),
        (r"жеке өмір", r"араласу", r"корреспонденция"),
    ),
    # Section 2
    _entry(
        "2", None, SECTION,
        "Азаматтық еркіндікті құрметтеу", "Respect for Civil Liberties",
        "Уважение гражданских свобод",
        "civil liberties", (),
        (r"азаматтық (еркіндік|бостандық)",),
    ),
    _entry(
        "2a", "2", SUBSECTION,
        "Сөз және баспасөз бостандығы",
        "Freedom of Expression, Including for Members of the Press and Other Media",
        "Свобода выражения мнений, в том числе для представителей прессы и других СМИ",
        "freedom of expression", ("press-freedom",),
        (r"сөз", r"баспасөз", r"пікір білдіру"),
    ),
    _entry(
        "2a-internet", "2a", SUBHEADING,
        "Интернет еркіндігі", "Internet Freedom", "Свобода интернета",
        "internet freedom", ("internet",),
        (r"^интернет (еркіндігі|бостандығы)",),
    ),
    _entry(
        "2a-academic", "2a", SUBHEADING,
        "Академиялық еркіндік пен мәдени іс-шаралар бойынша шектеулер",
        "Restrictions on Academic Freedom and Cultural Events",
        "Ограничения академической свободы и культурных мероприятий",
        "academic freedom", ("academic-freedom",),
        (r"^академиялық",),
    ),
    _entry(
        "2b", "2", SUBSECTION,
        "Бейбіт жиын өткізу және бас қосу бостандығы",
        "Freedoms of Peaceful Assembly and Association",
        "Свобода мирных собраний и объединений",
        "assembly and association", ("assembly", "association"),
        (r"жиын", r"бас қосу", r"бірлесу"),
    ),
    _entry(
        "2b-assembly", "2b", SUBHEADING,
        "Бейбіт жиын өткізу бостандығы", "Freedom of Peaceful Assembly",
        "Свобода мирных собраний",
        "peaceful assembly", ("assembly",),
        (r"^бейбіт жиын[а-яәғқңөұүһі ]* (бостандығы|еркіндігі)$",),
    ),
    _entry(
        "2b-association", "2b", SUBHEADING,
        "Бас қосу бостандығы", "Freedom of Association", "Свобода объединений",
        "association", ("association",),
        (r"^(бас қосу|бірлесу|бірлестік(тер)?) (бостандығы|еркіндігі)$",),
    ),
    _entry(
        "2c", "2", SUBSECTION,
        "Дін бостандығы", "Freedom of Religion", "Свобода вероисповедания",
        "religion", ("religion",),
        (r"дін", r"наным"),
    ),
    _entry(
        "2d", "2", SUBSECTION,
        "Жүріп-тұру еркіндігі және елден біржолата кету құқығы",
        "Freedom of Movement and the Right to Leave the Country",
        "Свобода передвижения и право на выезд из страны",
        "freedom of movement", ("movement",),
        (r"жүріп-тұру", r"елден .*кету"),
    ),
    _entry(
        "2e", "2", SUBSECTION,
        "Босқындарды қорғау", "Protection of Refugees", "Защита беженцев",
        "refugees", ("refugees",),
        (r"босқын",),
    ),
    _entry(
        "2f", "2", SUBSECTION,
        "Ішінен ауысқан адамдардың мәртебесі мен қарым-қатынасы",
        "Status and Treatment of Internally Displaced Persons",
        "Положение внутренне перемещенных лиц и обращение с ними",
        "internally displaced persons", ("displaced-persons",),
        (r"ішінен ауысқан", r"ішкі қоныс", r"ел ішінде қоныс"),
    ),
    _entry(
        "2g", "2", SUBSECTION,
        "Азаматтығы жоқ адамдар", "Stateless Persons", "Лица без гражданства",
        "stateless persons", ("statelessness",),
        (r"азаматтығы жоқ",),
    ),
    # Section 3
    _entry(
        "3", None, SECTION,
        "Саяси процеске қатысу бостандығы",
        "Freedom to Participate in the Political Process",
        "Свобода участия в политическом процессе",
        "political participation", ("elections",),
        (r"саяси процес",),
    ),
    _entry(
        "3-elections", "3", SUBHEADING,
        "Сайлау және саяси белсенділік", "Elections and Political Participation",
        "Выборы и участие в политической жизни",
        "elections", ("elections",),
        (r"^сайлау(лар)? және саяси",),
    ),
    # Section 4
    _entry(
        "4", None, SECTION,
        "Сыбайлас жемқорлық және үкіметте ашықтықтың болмауы",
        "Corruption and Lack of Transparency in Government",
        "Коррупция и отсутствие прозрачности в работе правительства",
        "corruption", ("corruption",),
        (r"жемқорлық", r"ашықтық"),
    ),
    # Section 5
    _entry(
        "5", None, SECTION,
        "Адам құқығының бұзылу ықтималдығына қатысты халықаралық және үкіметтік емес ұйымдар "
        "тергеуіне биліктің көзқарасы",
        "Governmental Posture Towards International and Nongovernmental Investigation of "
        "Alleged Abuses of Human Rights",
        "Отношение правительства к международным и неправительственным расследованиям "
        "предполагаемых нарушений прав человека",
        "NGO investigations", ("ngos",),
        (r"үкіметтік емес", r"тергеу"),
    ),
    # Section 6
    _entry(
        "6", None, SECTION,
        "Кемсіту және әлеуметтік қатыгездік", "Discrimination and Societal Abuses",
        "Дискриминация и социальные злоупотребления",
        "discrimination", ("discrimination",),
        (r"кемсіт",),
    ),
    _entry(
        "6-women", "6", SUBHEADING,
        "Әйелдер", "Women", "Женщины",
        "women", ("women",),
        (r"^әйелдер$",),
    ),
    _entry(
        "6-ethnic", "6", SUBHEADING,
        "Нәсілдік және этникалық зорлық-зомбылықтың жүйелі түрде орын алуы және кемсіту",
        "Systemic Racial or Ethnic Violence and Discrimination",
        "Систематическое насилие и дискриминация по расовому или этническому признаку",
        "racial or ethnic violence", ("ethnic-minorities", "discrimination"),
        (r"^(жүйелі )?нәсілдік (және|немесе) этникалық",),
    ),
    _entry(
        "6-children", "6", SUBHEADING,
        "Балалар", "Children", "Дети",
        "children", ("children",),
        (r"^балалар$",),
    ),
    _entry(
        "6-antisemitism", "6", SUBHEADING,
        "Антисемитизм", "Antisemitism", "Антисемитизм",
        "antisemitism", ("antisemitism",),
        (r"^антисемитизм$",),
    ),
    _entry(
        "6-trafficking", "6", SUBHEADING,
        "Адам саудасы", "Trafficking in Persons", "Торговля людьми",
        "trafficking", ("trafficking",),
        (r"^адам саудасы$", r"^адамдарды? сату$"),
    ),
    _entry(
        "6-lgbti", "6", SUBHEADING,
        "Жыныстық ориентациясы мен гендерлік ерекшелік негізінде орын алатын зорлық-зомбылық, "
        "криминализация және басқа да құқық бұзу жағдайы",
        "Acts of Violence, Criminalization, and Other Abuses Based on Sexual Orientation, "
        "Gender Identity or Expression, or Sex Characteristics",
        "Акты насилия, криминализация и другие нарушения на почве сексуальной ориентации, "
        "гендерной идентичности или самовыражения либо половых признаков",
        "sexual orientation and gender identity", ("lgbti",),
        (r"^жыныстық (ориентация|бағдар|бағыт)", r"^(зорлық-зомбылық|криминализация).*гендерлік"),
    ),
    _entry(
        "6-disabilities", "6", SUBHEADING,
        "Мүмкіндігі шектеулі жандар", "Persons with Disabilities", "Лица с инвалидностью",
        "persons with disabilities", ("disabilities",),
        (r"^мүмкіндігі шектеулі (жандар|адамдар|тұлғалар)$", r"^мүгедек(тер|тігі бар)"),
    ),
    _entry(
        "6-other", "6", SUBHEADING,
        "Басқа әлеуметтік зорлық-зомбылық немесе кемсітушілік",
        "Other Societal Violence or Discrimination",
        "Другие виды насилия или дискриминации в обществе",
        "other societal violence", ("discrimination",),
        (r"^(басқа|өзге) (да )?әлеуметтік",),
    ),
    # Section 7
    _entry(
        "7", None, SECTION,
        "Жұмысшылар құқығы", "Worker Rights", "Права работников",
        "worker rights", ("labour",),
        (r"жұмысшылар", r"еңбек"),
    ),
    _entry(
        "7a", "7", SUBSECTION,
        "Бірлестік еркіндігі және ұжымдық келісім шарт құқығы",
        "Freedom of Association and the Right to Collective Bargaining",
        "Свобода объединений и право на ведение коллективных переговоров",
        "freedom of association", ("labour", "association"),
        (r"бірлест", r"ұжымдық"),
    ),
    _entry(
        "7b", "7", SUBSECTION,
        "Міндетті немесе мәжбүрлі еңбекке тыйым салу",
        "Prohibition of Forced or Compulsory Labor",
        "Запрещение принудительного или обязательного труда",
        "forced labour", ("forced-labour", "labour"),
        (r"мәжбүрлі", r"міндетті"),
    ),
    _entry(
        "7c", "7", SUBSECTION,
        "Бала еңбегіне тыйым салу және жұмысқа алудың ең төменгі жасы",
        "Prohibition of Child Labor and Minimum Age for Employment",
        "Запрещение детского труда и минимальный возраст для приема на работу",
        "child labour", ("child-labour", "children", "labour"),
        (r"бала(лар)? еңбег", r"ең төменгі жас"),
    ),
    _entry(
        "7d", "7", SUBSECTION,
        "Жұмыспен қамту және кәсіпке қатысты кемсіту",
        "Discrimination with Respect to Employment and Occupation",
        "Дискриминация в сфере труда и занятий",
        "employment discrimination", ("discrimination", "labour"),
        (r"кемсіт",),
    ),
    _entry(
        "7e", "7", SUBSECTION,
        "Тиімді еңбек шарты", "Acceptable Conditions of Work", "Приемлемые условия труда",
        "conditions of work", ("working-conditions", "labour"),
        (r"еңбек (шарты|жағдай)",),
    ),
)
# fmt: on

OUTLINE: tuple[OutlineEntry, ...] = tuple(
    OutlineEntry(**{**e.__dict__, "order": position}) for position, e in enumerate(_OUTLINE, 1)
)
_BY_CODE = {e.code: e for e in OUTLINE}


def outline() -> tuple[OutlineEntry, ...]:
    """All entries in canonical order."""
    return OUTLINE


def entry(code: str) -> OutlineEntry:
    """The entry with this code; KeyError if there is none."""
    return _BY_CODE[code]


def children(code: str | None) -> list[OutlineEntry]:
    """Entries whose parent is `code` (None: the top level), in canonical order."""
    return [e for e in OUTLINE if e.parent == code]


def topics() -> dict[str, dict[str, str]]:
    """Topic slug -> {"kk", "en", "ru"} names, in display order."""
    return TOPICS
