"""English and Russian stopwords for the Snowball analyzer (Snowball itself has no lists).

Only closed-class words: articles, conjunctions, prepositions, pronouns, auxiliary verbs and
particles, in the normalised spelling the analyzer compares (lower case, ``'`` for any
apostrophe, е for ё). Words that double as content in the reports stay searchable: "may"
(the month), "will", "us" (as in US), "who" (WHO), "no"/"not" and "не"/"нет" are cheap to
index and carry meaning in phrases such as "did not investigate".
"""

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """
        a an the and or but nor if then than so as of at by for with without from to into onto
        in on off out over under up down about above below between through during before
        after against among within upon via per
        is are was were be been being am has have had having do does did doing
        would should could shall
        i me my myself we our ours ourselves you your yours yourself yourselves
        he him his himself she her hers herself it its itself they them their theirs
        themselves this that these those which what whom whose
        there here when where while whether because also such both each either neither
        other any some all only own same very too
        it's that's there's he's she's they're we're you're i'm
        isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't
        """.split()
    ),
    "ru": frozenset(
        """
        и а но или либо да ни же ли бы б ведь вот то
        в во на с со к ко у о об обо от до из изо за по при про под подо над для без через
        между перед после среди вокруг около
        что чтобы как так также тоже если когда где куда чем
        я мы ты вы он она оно они
        меня мне мной нас нам нами тебя тебе тобой вас вам вами
        его ее ей ею ему им ими их него нее ней нему ним ними них
        себя себе собой свой своя свое свои своего своей своих своим своими свою своем
        этот эта это эти этого этой этих этому этим этими эту этом
        тот та те того той тех тому тем теми ту том
        который которая которое которые которого которой которых которому которым которыми
        которую котором
        был была было были быть есть
        """.split()
    ),
}
