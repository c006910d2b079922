"""UK postcodes: full codes in every valid shape, and outward codes ("LS11") only with a cue."""

from __future__ import annotations

import re

from recognizers.cues import Cue, CueRecognizer

OUTWARD = r"""
    (?:[A-PR-UWYZ][0-9][0-9]?                     # A9, A99: first letter never Q, V or X
     | [A-PR-UWYZ][A-HK-Y][0-9][0-9]?             # AA9, AA99: second letter never I, J or Z
     | [A-PR-UWYZ][0-9][A-HJKPSTUW]               # A9A: third letter from a fixed set
     | [A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])    # AA9A: fourth letter from a fixed set
"""
INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"  # 9AA: never C, I, K, M, O or V


class UkPostcodeRecognizer(CueRecognizer):
    """Full UK postcodes (M1 1EA, SW1A 1AA, ls115qp) and cued outward codes ("postcode LS11")."""

    AREAS = frozenset(
        "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT "
        "DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA "
        "LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE "
        "SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV "
        "YO ZE".split()
    )
    """The 124 postcode areas (letters before the first digit) of the UK and Crown dependencies."""

    CUES = (
        Cue(
            "full postcode",
            re.compile(
                rf"""
                (?<![A-Za-z0-9])(?P<value>
                    (?i:{OUTWARD})          # outward code: area and district
                    \ ?                     # one optional space
                    (?i:{INWARD})           # inward code: sector and unit
                )(?![A-Za-z0-9])
                """,
                re.VERBOSE,
            ),
            "UK_POSTCODE",
            0.85,
        ),
        Cue(
            "outward code after a cue",
            re.compile(
                rf"""
                (?i:\bpost\s?code(?:\s+area)?|\barea\s+code|\baddress\s+(?:is\s+)?in)  # the cue
                \s*(?:is|was|of|:|-)?\s*                                           # "is", ":"
                (?P<value>(?i:{OUTWARD}))                                          # "LS11", "m1"
                (?![A-Za-z0-9]|\ ?[0-9][A-Za-z]{{2}})                              # not a full code
                """,
                re.VERBOSE,
            ),
            "UK_POSTCODE",
            0.5,
        ),
        Cue(
            "outward code before a cue",
            re.compile(
                rf"""
                (?<![A-Za-z0-9])(?P<value>{OUTWARD})    # "LS11", capitals only without a cue before
                \s+(?i:post\s?code|postcode\s+area)\b   # "LS11 postcode"
                """,
                re.VERBOSE,
            ),
            "UK_POSTCODE",
            0.5,
        ),
        Cue(
            "outward code after a street",
            re.compile(
                rf"""
                \b(?i:street|st|road|rd|lane|ln|avenue|ave|terrace|close|drive|way|place|square)
                \.?,?\s+                                  # "Princess st ", "Lever Street, "
                (?P<value>{OUTWARD})                      # "M1", capitals only
                (?![A-Za-z0-9]|\ ?[0-9][A-Za-z]{{2}})     # not a full code
                """,
                re.VERBOSE,
            ),
            "UK_POSTCODE",
            0.5,
        ),
    )

    def validate_result(self, value: str) -> bool | None:
        """Accept only codes that start with a real postcode area ("LS", "M"; not "XY")."""
        area = re.match(r"[A-Za-z]+", value)
        return area is not None and area.group(0).upper() in self.AREAS
