"""Word tables for people: nationalities, states that follow "I'm", and nouns for other people.

Shared by the self-reference, third-party and reporter-description recognisers, so that "I'm
Polish" is a nationality to one and never a name to the other.
"""

from __future__ import annotations

NATIONALITIES = (
    r"British\s+(?:Pakistani|Indian|Bangladeshi|Chinese|Asian)|Eastern\s+European|South\s+African|"
    r"Black\s+British|Mixed\s+race|English|British|Scottish|Welsh|Irish|Polish|Romanian|Bulgarian|"
    r"Hungarian|Czech|Slovak|Slovakian|Lithuanian|Latvian|Estonian|Albanian|Ukrainian|Russian|"
    r"Moldovan|Croatian|Serbian|Bosnian|Spanish|Portuguese|Italian|French|German|Dutch|Swedish|"
    r"Greek|Turkish|Kurdish|Iranian|Iraqi|Syrian|Afghan|Brazilian|Colombian|Venezuelan|Mexican|"
    r"Thai|Chinese|Vietnamese|Filipina|Filipino|Malaysian|Japanese|Korean|Indian|Pakistani|"
    r"Bangladeshi|Nigerian|Ghanaian|Jamaican|Kenyan|Somali|Eritrean|Ethiopian|Zimbabwean|"
    r"Ugandan|Roma|Latina|Asian"
)
"""Nationalities and ethnicities a reporter gives ("I'm Polish", "the only Thai girl")."""

COUNTRIES = (
    r"Czech\s+Republic|Dominican\s+Republic|South\s+Africa|Romania|Bulgaria|Hungary|Poland|Slovakia|"
    r"Lithuania|Latvia|Estonia|Albania|Ukraine|Russia|Moldova|Croatia|Serbia|Bosnia|Spain|Portugal|"
    r"Italy|France|Germany|Sweden|Greece|Turkey|Iran|Iraq|Syria|Afghanistan|Brazil|Colombia|"
    r"Venezuela|Mexico|Thailand|China|Vietnam|the\s+Philippines|Malaysia|Japan|Korea|India|"
    r"Pakistan|Bangladesh|Nigeria|Ghana|Jamaica|Kenya|Somalia|Eritrea|Ethiopia|Zimbabwe|Uganda"
)
"""Countries a reporter says they are from ("I'm from Romania"): as telling as a nationality."""

NOT_A_NAME = frozenset(
    """
    sorry fine ok okay scared here there not so just still really very now back home new sure
    afraid worried terrified shaken alone pregnant trans married single working safe happy sad
    upset angry tired ill sick unwell ok going gonna trying from in at on with a an the this that
    it is was been being done over out off up down in into only also too well good bad glad lucky
    worried frightened traumatised scarred shocked devastated okay alright fed thanks thank cheers
    love regards hi hey hello yes no maybe please help money cash more extras anal oral water time
    sex directions change discount nothing something anything everything him her me them you us
    she he they it i police someone somebody anyone everyone another other same what when where
    why how who which description vehicle vehicles registration details names phone email
    username usernames oi oy
    monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight yesterday
    """.split()
)
"""Lower-cased words that follow "I'm", "call me" or "asked for" and are never names."""

OTHER_PEOPLE = (
    r"friend|mate|pal|bestie|bff|maid|driver|booker|colleague|flatmate|housemate|partner|"
    r"boyfriend|girlfriend|fella|husband|"
    r"wife|sister|brother|cousin|mum|mother|receptionist|manager|boss|owner|landlord|landlady|"
    r"neighbou?r|witness|(?:door|security)\s+(?:guy|man|lad)|security|bouncer|minder|"
    r"concierge|porter|caretaker|cleaner|doorman|night\s+manager|"
    r"support\s+worker|case\s?worker|key\s?worker|"
    r"outreach\s+worker|ISVA|IDVA|nurse|officer|detective|solicitor|interpreter|roommate"
)
"""Nouns for people who are neither the reporter nor the offender ("my maid Dawn")."""

OTHER_WORKERS = r"girl|lady|woman|worker|escort|sw|working\s+girl|masseuse"
"""Nouns for other sex workers: a third party only with "other"/"another" ("the other girl")."""

TITLES = r"Mr|Mrs|Ms|Miss|Dr"
"""Titles that belong to the name they precede ("Mr Patel")."""

POLICE_RANKS = r"PCSO|PC|DC|DS|DI|DCI|Sgt|Sergeant|Inspector|Constable|Detective|Officer"
"""Police ranks before an officer's surname ("PC Jones"): the rank is not part of the span."""

HOME_PLACE = r"""
    (?:\b(?:I|we|she)\s*(?:'m|\u2019m|am|are|'re|is|'s|was|were)?\s*   # "I'm", "we are"
        (?:originally\s+)?(?:from|based\s+(?:in|out\s+of)|live\s+in|living\s+in|lives\s+in)
      | \b(?:my|our|her)\s+(?:family|home|mum|mam|parents|kids|children|husband|partner)
        \s+(?:is\s+|are\s+|lives?\s+)?(?:in|back\s+in)
      | \b(?:with|to)\s+(?:my\s+|her\s+|our\s+)?family\s+in
      | \b(?:tour|touring|toured|travel(?:led|ling)?|came\s+(?:down|up|over))\s+from
    )\s+(?:the\s+)?"""
"""Words that make the next place the member's home, not where it happened ("family in Fife").
A verbose regex, matched without case."""
