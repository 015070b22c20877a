"""What the parser knows: currency symbols, codes and words, amount and date words, the words
that decide a kind or trim a note, and the regexes built from them (compiled once, at import).

Tables only: the modules beside this one decide what the words mean. Names without a leading
underscore are shared with those modules; the package face exports none of them.
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from typing import Final

from bot.core.money import D

# --------------------------------------------------------------------------------------------
# Currencies


def _seq(text: str) -> list[str]:
    """The words of a whitespace-separated list, so long lists stay readable."""
    return text.split()


def words(text: str) -> frozenset[str]:
    """A set from a whitespace-separated word list."""
    return frozenset(_seq(text))


_words = words


# Current ISO 4217 codes (Babel also lists withdrawn ones such as "BAD" or "ESP", which we skip).
ISO_CODES: Final = _words(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
    """
)
# Codes that are also everyday words: only taken when written in capitals next to the amount.
WORDLIKE_CODES: Final = _words(
    "ALL TOP TRY CUP BOB GEL MAD SOS PEN COP MOP RUB RON BAM PHP NPR ARS SVC MNT BTN BGN ILS "
    "YER AMD ERN ANG SAR NIO LAK AOA HTG PAB STN"
)
# Codes people type in lower case anywhere in a message.
MAJOR_CODES: Final = _words(
    "USD EUR GBP INR JPY CNY AUD CAD CHF NZD SGD HKD THB AED SEK NOK DKK PLN CZK HUF IDR MYR "
    "VND KRW BRL MXN ZAR TRY RUB UAH PKR LKR BDT NGN KES EGP ILS TWD"
)
DOLLAR_CODES: Final = _words(
    "USD CAD AUD NZD SGD HKD TWD MXN ARS CLP COP UYU DOP CUP JMD TTD BSD BBD BZD FJD LRD NAD "
    "SBD SRD XCD KYD BMD GYD"
)
RUPEE_CODES: Final = _words("INR PKR LKR NPR MUR SCR")
KRONA_CODES: Final = _words("SEK NOK DKK ISK")
# Currencies whose users write 1.250 for one thousand two hundred fifty.
DOT_THOUSANDS_CODES: Final = _words(
    "EUR BRL ARS CLP COP IDR VND TRY RUB UAH DKK NOK ISK RON RSD BAM MKD GEL PYG UYU"
)

# Symbols and currency words -> code, or a family marker resolved against the default currency.
DOLLAR: Final = "$"
RUPEE: Final = "Rs"
KRONA: Final = "kr"
YEN: Final = "¥"
SYMBOLS: Final[dict[str, str]] = {
    "$": DOLLAR,
    "US$": "USD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "NT$": "TWD",
    "AU$": "AUD",
    "CA$": "CAD",
    "SG$": "SGD",
    "MX$": "MXN",
    "R$": "BRL",
    "A$": "AUD",
    "C$": "CAD",
    "S$": "SGD",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "¥": YEN,
    "円": "JPY",
    "元": "CNY",
    "₽": "RUB",
    "₩": "KRW",
    "฿": "THB",
    "₺": "TRY",
    "₴": "UAH",
    "₱": "PHP",
    "₫": "VND",
    "₦": "NGN",
    "₪": "ILS",
    "₨": RUPEE,
    "৳": "BDT",
    "₸": "KZT",
    "₾": "GEL",
    "₼": "AZN",
    "₡": "CRC",
    "₲": "PYG",
    "₵": "GHS",
    "₭": "LAK",
    "₮": "MNT",
}
CURRENCY_WORDS: Final[dict[str, str]] = {
    "rs": RUPEE,
    "rs.": RUPEE,
    "rupee": RUPEE,
    "rupees": RUPEE,
    "rupaye": RUPEE,
    "bucks": DOLLAR,
    "buck": DOLLAR,
    "dollar": DOLLAR,
    "dollars": DOLLAR,
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "rmb": "CNY",
    "ruble": "RUB",
    "rubles": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
    "baht": "THB",
    "pesos": "MXN",
    "peso": "MXN",
    "reais": "BRL",
    "real": "BRL",
    "lira": "TRY",
    "rand": "ZAR",
    "dirham": "AED",
    "dirhams": "AED",
    "riyal": "SAR",
    "riyals": "SAR",
    "ringgit": "MYR",
    "rm": "MYR",
    "rp": "IDR",
    "rupiah": "IDR",
    "taka": "BDT",
    "naira": "NGN",
    "shekel": "ILS",
    "shekels": "ILS",
    "zloty": "PLN",
    "zł": "PLN",
    "złoty": "PLN",
    "kč": "CZK",
    "forint": "HUF",
    "francs": "CHF",
    "franc": "CHF",
    "hryvnia": "UAH",
    "dong": "VND",
    "won": "KRW",
    "kr": KRONA,
    "kr.": KRONA,
    "krona": "SEK",
    "kronor": "SEK",
    "krone": "NOK",
    "kroner": "NOK",
    "lei": "RON",
}
# Currency words that only count right after a number ("won 500" is a win, "500 won" is money).
AFTER_ONLY_WORDS: Final = frozenset({"won", "real", "rand", "dong", "pound", "lei"})


# --------------------------------------------------------------------------------------------
# Vocabulary

MULTIPLIERS: Final[dict[str, Decimal]] = {
    "k": D(1000),
    "thousand": D(1000),
    "grand": D(1000),
    "m": D(1_000_000),
    "mn": D(1_000_000),
    "mil": D(1_000_000),
    "million": D(1_000_000),
    "bn": D(1_000_000_000),
    "billion": D(1_000_000_000),
    "lakh": D(100_000),
    "lakhs": D(100_000),
    "lac": D(100_000),
    "lacs": D(100_000),
    "crore": D(10_000_000),
    "crores": D(10_000_000),
    "cr": D(10_000_000),
}
# Multipliers that may stand after a space ("2 lakh"); short ones must touch the digits ("15k").
SPACED_MULTIPLIERS: Final = frozenset(
    {"thousand", "grand", "million", "mn", "billion", "bn", "lakh", "lakhs", "lac", "lacs"}
    | {"crore", "crores", "cr", "k"}
)
# A number followed by one of these counts things, it is not a price.
UNITS: Final = _words(
    """
    x pc pcs piece pieces item items kg kgs g gm gms gram grams mg ml l lt ltr litre litres liter
    liters lb lbs oz km kms mi miles hr hrs hour hours min mins minute minutes sec day days night
    nights week weeks month months year years yr yrs times
    gb mb tb packs pack dozen nos no box boxes bottles bottle cups cans glasses plates slices
    tickets seats rooms lpa degrees points goals runs
    """
)
# People counted: "3 people 1800 dinner" counts; alone ("65 kids", "cleats 65 kids") the number
# is the price, the word says who it was for.
COUNT_UNITS: Final = _words(
    "people person persons pax guys kids kid children adults adult friends heads members"
)
# A number right after these names something ("order 12345", "invoice #20931"): a price only
# when the entry has no other number.
ID_WORDS: Final = _words(
    """order orders invoice inv ref reference id receipt txn transaction booking pnr
    confirmation tracking acct account policy serial nr no. number"""
)
# A house number: a street word within STREET_REACH words after it ("221 baker street").
STREET_WORDS: Final = _words(
    """street st road rd avenue ave lane ln boulevard blvd drive way place court highway hwy marg
    terrace crescent parkway square sq circle plaza"""
)
STREET_REACH: Final = 3
ORDINAL_SUFFIXES: Final = frozenset({"st", "nd", "rd", "th"})

EXPENSE_VERBS: Final = _words(
    "spent spend spending paid pay paying payed bought buy buying purchased purchase "
    "ordered cost costs expense expenses charged owe lent invested invest investing deposited gave"
)
INCOME_WORDS: Final = _words(
    """
    received receive recieved earned earn earning earnings credited salary salaries paycheck
    paycheque payroll wage wages bonus stipend refund refunds refunded cashback reimbursement
    reimbursed sold dividend dividends interest income freelance freelancing royalty royalties
    winnings lottery jackpot profit payout pension rebate scholarship scholarships allowance
    """
)
# Money given back. A refund undoes a purchase; "tax refund" undoes none and is income.
REFUND_WORDS: Final = _words("refund refunds refunded refunding")
NOT_A_PURCHASE: Final = _words("tax taxes irs itr gst vat")
# "returned", "got back" (money in) and "paid back", "gave back" (money out).
GIVEN_BACK: Final = _words("returned repaid")
GOT_BACK: Final = _words("got get getting received")
PAID_BACK: Final = _words("paid pay paying gave give giving sent")
# Weak income verbs: income unless the note names something bought ("got coffee 4").
WEAK_INCOME_WORDS: Final = _words("got get won gained collected")
GOT_PAID: Final = _words("got get getting been was")
# Leading or trailing words dropped from the note.
NOTE_VERBS: Final = _words(
    "i spent spend paid pay paying bought purchased received recieved got earned credited "
    "cost costs"
)
NOTE_GLUE: Final = _words(
    "on for at of in to from and with the a an & - – — : = , ; . @ worth total was is"
)
# Words that make a message with a bare number small talk rather than money.
CHATTY: Final = _words(
    """
    i im ive you your youre we were they he she it its is are am was have has had ill id
    will would can could should shall do does did see call meet meeting meetings let's lets
    please what how why when where who which tell text me us him her them remind wake sleep
    hi hello hey thanks thank ok okay bye good morning night minutes mins hours times people
    more left go going happy merry congrats congratulations wishes test testing just
    degrees
    """
)
NOT_A_NUMBER: Final = frozenset({"nan", "inf", "infinity", "∞", "-inf", "+inf"})
TIME_PREPOSITIONS: Final = frozenset({"at", "around", "by", "till", "until", "before", "after"})

# --------------------------------------------------------------------------------------------
# Date and number words, and the regexes (compiled once)

MONTHS: Final[dict[str, int]] = {}
for _i, _name in enumerate(calendar.month_name):
    if _i:
        MONTHS[_name.lower()] = _i
        MONTHS[_name[:3].lower()] = _i
MONTHS["sept"] = 9
WEEKDAYS: Final[dict[str, int]] = {}
for _i, _name in enumerate(calendar.day_name):
    WEEKDAYS[_name.lower()] = _i
    WEEKDAYS[_name[:3].lower()] = _i
for _abbr, _i in {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}.items():
    WEEKDAYS[_abbr] = _i
NUMBER_WORDS: Final[dict[str, int]] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "couple of": 2,
    "a couple of": 2,
    "few": 3,
    "a few": 3,
}

_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY_FULL_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WEEKDAY_ABBR_RE = r"(?:mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)"
DATE_RE: Final = re.compile(
    rf"""
    (?<![\w.,/$€£₹¥₽₩฿-])(?:(?:on|dated)\s+)?(?:
        (?P<dby>(?:the\s+)?day\s+before\s+yesterday|dby)
      | (?P<yest>yesterday|yday|ystd|yest|last\s+night)(?:\s+(?:morning|afternoon|evening|night))?
      | (?P<today>today|tonight|tdy|this\s+(?:morning|afternoon|evening))
      | (?P<tomorrow>tomorrow|tmrw|tmr)
      | (?P<ago_n>\d{{1,3}}|an?|one|two|three|four|five|six|seven|eight|nine|ten
            |(?:a\s+)?couple\s+of|(?:a\s+)?few)
        \s+(?P<ago_unit>day|week|month|year)s?\s+(?:ago|back)
      | (?P<fortnight>a\s+fortnight\s+ago)
      | (?<!of\s)(?P<last_unit>last|past|previous)\s+(?P<unit>week|month|year)(?!\s+of\b)
      | (?P<weekend>(?:last|this(?:\s+past)?|past)\s+weekend)
      | (?:(?P<wd_mod>last|past|this\s+past|previous|this|next|coming|this\s+coming)\s+)?
        (?P<wd>{_WEEKDAY_FULL_RE})
      | (?P<wd_mod2>last|on|this|past)\s+(?P<wd2>{_WEEKDAY_ABBR_RE})
      | (?P<wd3>mon|tues?|thu(?:rs?)?|fri)
      | (?P<iso_y>\d{{4}})[-/.](?P<iso_m>\d{{1,2}})[-/.](?P<iso_d>\d{{1,2}})
      | (?P<n1>\d{{1,2}})/(?P<n2>\d{{1,2}})(?:/(?P<n3>\d{{4}}|\d{{2}}))?
      | (?P<n1b>\d{{1,2}})[.-](?P<n2b>\d{{1,2}})[.-](?P<n3b>\d{{4}}|\d{{2}})
      | (?:the\s+)?(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s*(?P<dm_m>{_MONTH_RE})\.?
        (?:(?:,\s*|\s+)(?P<dm_y>\d{{4}}))?
      | (?P<md_m>{_MONTH_RE})\.?\s+(?:the\s+)?(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?
        (?:(?:,\s*|\s+)(?P<md_y>\d{{4}}))?
      | the\s+(?P<ord>\d{{1,2}})(?:st|nd|rd|th)
      | (?<=on\s)(?P<ord2>\d{{1,2}})(?:st|nd|rd|th)
    )(?![\w/])(?![.,-]\d)
    """,
    re.IGNORECASE | re.VERBOSE,
)
DAY_AFTER_RE: Final = re.compile(
    r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:(?:,\s*|\s+)(\d{4}))?(?![\w./]|,\d)"
)
SMALL_NUMBERS: Final[dict[str, int]] = {
    name: value
    for value, name in enumerate(
        _seq(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
} | {
    name: 10 * (idx + 2)
    for idx, name in enumerate(_seq("twenty thirty forty fifty sixty seventy eighty ninety"))
}
SCALES: Final[dict[str, int]] = {
    "hundred": 100,
    "thousand": 1000,
    "grand": 1000,
    "lakh": 100_000,
    "million": 1_000_000,
}
_NUMBER_WORD_ALT = "|".join(sorted([*SMALL_NUMBERS, *SCALES], key=len, reverse=True))
# "fifty", "a hundred", "two thousand five hundred", "twenty-five"
NUMBER_PHRASE_RE: Final = re.compile(
    rf"\b(?:an?\s+(?=hundred|thousand|grand|lakh|million))?(?:{_NUMBER_WORD_ALT})"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD_ALT}))*\b",
    re.IGNORECASE,
)
CURRENCY_AFTER_RE: Final = re.compile(
    r"\s*(?:[$€£₹¥]|(?:bucks|dollars?|rupees?|rs|euros?|pounds?|quid|usd|eur|gbp|inr|yen)\b)",
    re.IGNORECASE,
)
MONEY_VERB_BEFORE_RE: Final = re.compile(
    r"\b(?:spent|paid|cost|costs|received|earned|got|gave|lent|bought\s+\w+\s+for)\s+(?:me\s+)?$",
    re.IGNORECASE,
)
QUESTION_RE: Final = re.compile(
    r"\s*(?:is|are|was|were|how|what|what's|whats|why|when|where|who|which|should|shall|can"
    r"|could|do|does|did|will|would|may|am|any)\b",
    re.IGNORECASE,
)
# "1 500 €": plain spaces group thousands only next to a currency, where nothing else fits.
SPACE_GROUPS_RE: Final = re.compile(
    r"(?:(?<=[€$£₽₹₴])|(?<=[€$£₽₹₴]\s))[0-9]{1,3}(?: [0-9]{3})+(?![0-9])"
    # No match starts at a group that follows a three-digit one: each would run to the end of
    # "111 111 111 …" and back, which made a long run quadratic.
    r"|(?<![0-9.,])(?<![0-9]{3} )[0-9]{1,3}(?: [0-9]{3})+(?=(?:[.,][0-9]{1,2})?\s?(?:[€₽₴£$₹]"
    r"|(?:kr|zł|eur|rub|uah|pln|czk|sek|nok|dkk|chf|huf|usd|gbp|inr|rs|euros?)\b))",
    re.IGNORECASE,
)
DIGITS_RE: Final = re.compile(r"[0-9]+")
DIGIT_SPACE_DIGIT_RE: Final = re.compile(r"[0-9] [0-9]")
# A leftover word that might still be a date: worth asking dateparser about.
DATEISH_RE: Final = re.compile(
    rf"\b(?:{_MONTH_RE}|{_WEEKDAY_FULL_RE}|ago|fortnight|weekend|last|next|previous|week|month"
    r"|year|days|yesterday|today|tomorrow)\b",
    re.IGNORECASE,
)
# Leftover words that only ever name a date: when no reader makes a date of them, the user
# is told instead of the words vanishing into the note.
DATE_ONLY_RE: Final = re.compile(
    rf"(?!may$)(?:{_MONTH_RE}|{_WEEKDAY_FULL_RE}|ago|fortnight|yesterday|tomorrow|today|weekend)",
    re.IGNORECASE,
)
DATE_VOCAB: Final = (
    frozenset(MONTHS)
    | frozenset(WEEKDAYS)
    | _words(
        """ago fortnight weekend last next previous week weeks month months year years day days
    coming before after this past yesterday today tomorrow the of on a an one two three four five
    six seven eight nine ten morning evening night st nd rd th"""
    )
)
TIME_RE: Final = re.compile(
    r"(?<![\w.,])\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock|hrs)(?!\w)"
    r"|(?<![\w.,:])\d{1,2}:\d{2}(?![\w:])",
    re.IGNORECASE,
)
# Every time TIME_RE knows holds one of these; most messages hold none, so the regex is skipped.
TIME_HINT_RE: Final = re.compile(r"[:mMoOhH]")
TOKEN_RE: Final = re.compile(
    r"""
    (?P<num>[0-9]+(?:(?:[.,'’]|\u00a0|\u202f|\u2009)[0-9]+)*)
  | (?P<sym>(?:US|HK|NZ|NT|AU|CA|SG|MX|[RACS])\$|[$€£₹¥₽₩฿₺₴₱₫₦₪₨৳₸₾₼₡₲₵₭₮円元]|/-)
  | (?P<word>[^\W\d_]+(?:['’.&+-][^\W\d_]+)*\.?)
  | (?P<op>[+*×/÷\-])
  | (?P<other>\S)
    """,
    re.VERBOSE,
)
# Piece separators inside one line: ";", a comma not between digits, " and ", " & ", " + ".
# Leading whitespace is taken from the start of its run only ((?<!\s)): a match tried at every
# space of a long run would scan the rest of it each time.
SPLIT_RE: Final = re.compile(
    r"(?<!\s)\s*;\s*|(?<![0-9]),\s*|,(?![0-9])\s*|,\s+|(?<!\s)\s+(?:and|&|plus|\+)\s+"
    r"|(?<!\s)\s*\|\s*",
    re.IGNORECASE,
)
SPACES_RE: Final = re.compile(r"\s+")
EMPTY_BRACKETS_RE: Final = re.compile(r"\(\s*\)|\[\s*\]")
WESTERN_GROUPS_RE: Final = re.compile(r"[0-9]{1,3}(?:X[0-9]{3})+")
INDIAN_GROUPS_RE: Final = re.compile(r"[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}")
NOTE_EDGE_CHARS: Final = " \t,;:.!-–—=|/\\*#@~"

# Look-alikes (minus sign, full-width forms) and invisible joiners, mapped to what the regexes
# expect.
FANCY: Final = str.maketrans(
    {
        "−": "-",
        "–": "-",
        "＋": "+",
        "＄": "$",
        "\ufe0f": None,
        "\u200d": None,
        "\u200b": None,
        "＊": "*",
        "，": ",",
        "．": ".",
    }
)
