"""Kazakh stopwords for the search analyzer.

Only closed-class words: pronouns and their case forms, conjunctions,
postpositions, particles, the copula and a few quantifiers. Content verbs
(бол-, де-) are deliberately absent: they carry meaning in phrases such as
"болып табылады" and are cheap to index. The analyzer compares these words
after keyboard folding, so each entry also covers its spelling without
Kazakh-specific letters.
"""

STOPWORDS: frozenset[str] = frozenset(
    """
    мен сен сіз ол біз сендер сіздер олар
    менің сенің сіздің оның біздің сендердің сіздердің олардың
    маған саған сізге оған бізге сендерге сіздерге оларға
    мені сені сізді оны бізді сендерді сіздерді оларды
    менде сенде сізде онда бізде оларда
    менен сенен сізден одан бізден олардан
    онымен олармен
    бұл осы сол мына мынау анау әлгі
    бұның мұның осының соның мынаның
    бұған мұған осыған соған
    бұны мұны осыны соны
    бұнда мұнда осында сонда
    бұдан мұнан осыдан содан
    осымен сонымен мұнымен
    бұлар осылар солар
    осындай сондай мұндай
    қандай қалай неге неліктен қашан қайда кім не нені неше қанша қай
    және пен бен да де та те әрі бірақ алайда немесе яки әлде болмаса
    себебі өйткені сондықтан егер ал әйтпесе яғни тіпті
    үшін туралы бойынша арқылы сияқты секілді сайын дейін шейін
    кейін бері соң гөрі қарай бойы
    ма ме ба бе па пе ғой ғана қана тек тағы әлі енді ақ ау ше шы ші
    еді екен емес
    бір әр әрбір кейбір барша бәрі
    ең өте аса тым
    """.split()
)
