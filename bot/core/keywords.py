"""Built-in keywords and merchants that suggest a default category. Pure data plus one lookup.

Keys are lower-case and singular where a plural is just ``+s``; :func:`lookup` folds case, strips
possessives and tries singular forms, so ``Coffees``, ``UBER`` and ``McDonald's`` all match.
Category names are exactly the defaults in :mod:`bot.core.categories`, and each category's own
name (with its plural and the synonyms people file by: "transportation", "healthcare", "misc")
is one of its words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from bot.core.categories import DEFAULT_EXPENSE_CATEGORIES, DEFAULT_INCOME_CATEGORIES, Kind

# Multi-word entries are matched as phrases before their single words ("uber eats" is food,
# "uber" alone is a ride). Keep each word list sorted loosely by theme, not alphabetically.
_EXPENSE: Final[dict[str, str]] = {
    "Food": """
        dining eats
        food lunch dinner breakfast brunch supper snack meal meals tiffin canteen mess restaurant
        cafe café cafeteria diner bistro eatery dhaba bakery takeaway takeout eatout dining
        coffee tea chai latte cappuccino espresso americano mocha frappe frappuccino juice smoothie
        milkshake shake soda coke pepsi lemonade boba
        pizza burger sandwich sub sushi ramen noodle pasta biryani dosa idli vada samosa thali
        paratha momo kebab kabab shawarma taco burrito nachos salad soup dessert cake pastry
        pho laksa satay nasi dimsum dumpling dumplings bibimbap banh kopi hawker kopitiam
        mamak bento tapas
        icecream gelato donut doughnut bagel croissant muffin cookie brownie waffle pancake fries
        chips popcorn chocolate candy sweets mithai pani-puri golgappa chaat pav vadapav
        beer wine drinks drink cocktail bar pub brewery whisky whiskey vodka rum gin tequila alcohol
        liquor booze
        zomato swiggy ubereats doordash grubhub deliveroo justeat foodpanda talabat seamless
        grabfood gofood shopeefood
        postmates eatsure faasos box8 behrouz dineout
        starbucks mcdonalds mcd kfc dominos burgerking wendys chipotle tacobell dunkin
        timhortons costa pret nandos haldiram haldirams chaayos ccd barista panera popeyes
        chickfila jollibee greggs wagamama itsu subway-sandwich baskin-robbins krispykreme
        biggies
    """,
    "Groceries": """
        grocery groceries supermarket hypermarket vegetable veggies fruit fruits milk bread egg eggs
        rice dal atta flour sugar salt butter ghee cheese paneer curd yogurt yoghurt meat mutton
        fish chicken prawns onion potato tomato apple banana mango kirana provisions ration
        cereal oats cornflakes detergent toiletries tissue napkins diapers diaper toothpaste
        bigbasket blinkit grofers zepto instamart jiomart dmart d-mart spencers naturesbasket
        dunzo bbdaily milkbasket licious freshtohome
        walmart costco wholefoods traderjoes aldi lidl tesco sainsburys asda morrisons waitrose
        kroger safeway publix carrefour 7-eleven instacart ocado woolworths coles loblaws
        nofrills spar rewe edeka migros albertheijn lawson familymart heb wegmans
    """,
    "Transport": """
        transport transportation transit commuting
        uber ola lyft rapido taxi cab cabs auto autorickshaw rickshaw tuk-tuk tuktuk e-rickshaw
        bus metro tram train local tube ferry monorail commute ride fare cabfare
        fuel petrol diesel gas gasoline cng parking toll tolls fastag charging
        carwash mechanic tyre tire puncture bolt grab gojek didi blablacar careem indrive
        nammayatri blusmart meru lime shell chevron exxon esso texaco mobil bpcl iocl hpcl
        driver chauffeur valet tfl scooty bike-service oyster clipper car scooter motorbike
    """,
    "Housing": """
        rent lease mortgage landlord maintenance society hoa plumber electrician carpenter
        repair repairs renovation painter cleaning maid housekeeping househelp cook
        pest-control furniture sofa mattress bedsheet curtains ikea homedepot lowes
        urbancompany urbanclap nobroker nestaway propertytax housing apartment flat house
    """,
    "Utilities": """
        electricity electric power-bill water-bill internet wifi wi-fi broadband fiber fibre
        recharge prepaid postpaid airtel jio vodafone vi bsnl hathway actfibernet verizon at&t
        att t-mobile tmobile comcast xfinity spectrum lpg cylinder indane dth tatasky tataplay
        dishtv heating sewage trash garbage utilities utility bescom tneb msedcl mahadiscom
        tatapower pg&e coned britishgas octopus eon edf counciltax
    """,
    "Shopping": """
        shopping clothes clothing shirt tshirt t-shirt jeans trousers pants shorts dress skirt
        shoes shoe sneakers sandals slippers jacket hoodie sweater kurta saree sari lehenga
        socks underwear bag backpack wallet belt sunglasses umbrella
        electronics laptop phone iphone smartphone tablet ipad headphones earphones earbuds airpods
        charger gadget gadgets keyboard mouse monitor tv television camera speaker
        amazon amzn flipkart myntra ajio meesho nykaa snapdeal tatacliq croma decathlon zara uniqlo
        primark h&m target bestbuy ebay etsy aliexpress temu shein mall lifestyle westside
        pantaloons shoppersstop cosmetics makeup perfume skincare lipstick shampoo soap jewellery
        jewelry accessories toys toy watch homeware kitchenware utensils
    """,
    "Health": """
        health healthcare wellness
        doctor dentist hospital clinic medicine medicines meds pharmacy chemist drugstore
        apollo 1mg pharmeasy netmeds practo medplus cvs walgreens boots riteaid physio
        physiotherapy therapy therapist checkup check-up bloodtest lab xray x-ray scan mri
        vaccine vaccination medical medication pills tablets vitamins supplements gym fitness
        yoga cultfit cult.fit curefit optician spectacles glasses lenses dental consultation
        ambulance
        haircut salon barber spa massage pedicure manicure insulin inhaler
    """,
    "Entertainment": """
        entertainment fun leisure hobby hobbies recreation streaming
        movie movies cinema film netflix spotify primevideo hotstar disney disney+ hulu hbo
        youtube jiocinema sonyliv zee5 bookmyshow pvr inox amc concert show theatre theater
        game games gaming steam playstation ps5 xbox nintendo bowling arcade party club
        clubbing museum zoo karaoke standup comedy twitch audible applemusic appletv
        paramount peacock crunchyroll festival
    """,
    "Travel": """
        travel travels travelling traveling vacations holidays
        flight flights airfare airline hotel hostel airbnb booking.com makemytrip mmt
        goibibo cleartrip yatra expedia agoda trip vacation holiday tour visa passport luggage
        indigo airindia vistara spicejet akasa emirates ryanair easyjet lufthansa delta united
        southwest jetblue irctc resort cruise sightseeing souvenir oyo treebo fabhotels redbus
        greyhound flixbus eurostar amtrak trainline skyscanner kayak
    """,
    "Education": """
        education learning
        tuition tuitions school college university course courses udemy coursera edx byjus
        unacademy skillshare masterclass book books textbook stationery notebook pen pencil
        exam class classes lesson lessons coaching training workshop seminar library kindle
        tutor duolingo leetcode certification admission semester
    """,
    "Gifts": """
        gift gifts present presents donation donations donate charity flowers bouquet shagun
        tithe zakat offering giftcard gofundme
    """,
    "Other": """
        misc miscellaneous sundries sundry
    """,
}

_EXPENSE_PHRASES: Final[dict[str, str]] = {
    "uber eats": "Food",
    "just eat": "Food",
    "burger king": "Food",
    "taco bell": "Food",
    "tim hortons": "Food",
    "pizza hut": "Food",
    "ice cream": "Food",
    "eating out": "Food",
    "eat out": "Food",
    "cafe coffee day": "Food",
    "five guys": "Food",
    "shake shack": "Food",
    "milk tea": "Food",
    "dim sum": "Food",
    "pad thai": "Food",
    "teh tarik": "Food",
    "food court": "Food",
    "bubble tea": "Food",
    "iced tea": "Food",
    "fish and chips": "Food",
    "dining out": "Food",
    "fast food": "Food",
    "street food": "Food",
    "super market": "Groceries",
    "grocery store": "Groceries",
    "food shopping": "Groceries",
    "grocery shopping": "Groceries",
    "whole foods": "Groceries",
    "trader joe": "Groceries",
    "reliance fresh": "Groceries",
    "swiggy instamart": "Groceries",
    "natures basket": "Groceries",
    "no frills": "Groceries",
    "albert heijn": "Groceries",
    "auto rickshaw": "Transport",
    "car wash": "Transport",
    "car service": "Transport",
    "bike service": "Transport",
    "oil change": "Transport",
    "car insurance": "Transport",
    "car loan": "Transport",
    "gas station": "Transport",
    "petrol pump": "Transport",
    "ev charging": "Transport",
    "namma yatri": "Transport",
    "indian oil": "Transport",
    "bharat petroleum": "Transport",
    "uber auto": "Transport",
    "house rent": "Housing",
    "home loan": "Housing",
    "pest control": "Housing",
    "house help": "Housing",
    "property tax": "Housing",
    "security deposit": "Housing",
    "home depot": "Housing",
    "urban company": "Housing",
    "home insurance": "Housing",
    "electricity bill": "Utilities",
    "light bill": "Utilities",
    "power bill": "Utilities",
    "water bill": "Utilities",
    "gas bill": "Utilities",
    "phone bill": "Utilities",
    "mobile bill": "Utilities",
    "internet bill": "Utilities",
    "mobile recharge": "Utilities",
    "phone recharge": "Utilities",
    "cooking gas": "Utilities",
    "gas cylinder": "Utilities",
    "cable tv": "Utilities",
    "tata sky": "Utilities",
    "tata play": "Utilities",
    "dish tv": "Utilities",
    "tata power": "Utilities",
    "adani electricity": "Utilities",
    "british gas": "Utilities",
    "octopus energy": "Utilities",
    "council tax": "Utilities",
    "con ed": "Utilities",
    "virgin media": "Utilities",
    "act fibernet": "Utilities",
    "best buy": "Shopping",
    "shoppers stop": "Shopping",
    "tata cliq": "Shopping",
    "reliance digital": "Shopping",
    "apple store": "Shopping",
    "marks and spencer": "Shopping",
    "health insurance": "Health",
    "blood test": "Health",
    "eye test": "Health",
    "contact lenses": "Health",
    "rite aid": "Health",
    "apollo pharmacy": "Health",
    "cult fit": "Health",
    "prime video": "Entertainment",
    "amazon prime": "Entertainment",
    "disney plus": "Entertainment",
    "youtube premium": "Entertainment",
    "apple music": "Entertainment",
    "apple tv": "Entertainment",
    "movie ticket": "Entertainment",
    "theme park": "Entertainment",
    "amusement park": "Entertainment",
    "escape room": "Entertainment",
    "night out": "Entertainment",
    "air india": "Travel",
    "air ticket": "Travel",
    "plane ticket": "Travel",
    "train ticket": "Travel",
    "travel insurance": "Travel",
    "british airways": "Travel",
    "school fee": "Education",
    "exam fee": "Education",
    "college fee": "Education",
    "tuition fee": "Education",
    "gift card": "Gifts",
    "birthday gift": "Gifts",
    "wedding gift": "Gifts",
}

# Weak words decide only when nothing stronger matched ("dinner bill" is food, "bill" utilities).
_EXPENSE_WEAK: Final[dict[str, str]] = {
    "bill": "Utilities",
    "tip": "Food",
    "tips": "Food",
    "airport": "Travel",
    "bills": "Utilities",
    "fee": "Education",
    "fees": "Education",
    "ticket": "Entertainment",
    "tickets": "Entertainment",
    "subscription": "Entertainment",
    "insurance": "Health",
    "store": "Shopping",
    "shop": "Shopping",
    "order": "Shopping",
    "online": "Shopping",
    "birthday": "Gifts",
    "wedding": "Gifts",
    "loan": "Housing",
    "emi": "Housing",
    # "other 12.5" is Other; "groceries and other stuff" is groceries
    "other": "Other",
    "others": "Other",
}

_INCOME: Final[dict[str, str]] = {
    "Salary": """
        salary salaries paycheck paycheque payroll wage wages bonus stipend overtime incentive
        appraisal payslip hike employer
    """,
    "Freelance": """
        freelance freelancing client clients invoice project gig gigs consulting consultancy
        contract upwork fiverr toptal commission royalty royalties tutoring side-hustle
    """,
    "Investments": """
        investment investments
        dividend dividends interest stock stocks share shares mf fd bond bonds crypto bitcoin
        btc eth trading profit profits returns zerodha groww robinhood coupon capital-gains
    """,
    "Gifts": """
        gift gifts present presents shagun mom mum dad mother father parents grandma grandpa
        granny uncle aunt aunty birthday
    """,
    "Other": """
        scholarship scholarships grant
        refund refunds refunded cashback reimbursement reimbursed sold lottery prize winnings
        rebate jackpot
    """,
}

_INCOME_PHRASES: Final[dict[str, str]] = {
    "mutual fund": "Investments",
    "fixed deposit": "Investments",
    "capital gains": "Investments",
    "rental income": "Investments",
    "side hustle": "Freelance",
    "cash back": "Other",
    "tax refund": "Other",
}


def _explode(table: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for category, words in table.items():
        for word in words.split():
            out[word.replace("-", "")] = category
            out[word] = category
    return out


EXPENSE_KEYWORDS: Final[Mapping[str, str]] = _explode(_EXPENSE)
INCOME_KEYWORDS: Final[Mapping[str, str]] = _explode(_INCOME)
EXPENSE_PHRASES: Final[Mapping[str, str]] = _EXPENSE_PHRASES
INCOME_PHRASES: Final[Mapping[str, str]] = _INCOME_PHRASES
EXPENSE_WEAK: Final[Mapping[str, str]] = _EXPENSE_WEAK

# Emoji people type instead of a word.
EMOJI: Final[Mapping[str, str]] = {
    "☕": "Food",
    "🍔": "Food",
    "🍕": "Food",
    "🍜": "Food",
    "🍣": "Food",
    "🍺": "Food",
    "🍻": "Food",
    "🍷": "Food",
    "🥗": "Food",
    "🌮": "Food",
    "🍩": "Food",
    "🥐": "Food",
    "🍰": "Food",
    "🛒": "Groceries",
    "🥦": "Groceries",
    "🥛": "Groceries",
    "🍎": "Groceries",
    "🚕": "Transport",
    "🚖": "Transport",
    "🚗": "Transport",
    "🚌": "Transport",
    "🚇": "Transport",
    "⛽": "Transport",
    "🏠": "Housing",
    "💡": "Utilities",
    "📱": "Shopping",
    "👕": "Shopping",
    "👟": "Shopping",
    "🛍": "Shopping",
    "💊": "Health",
    "🏥": "Health",
    "🎬": "Entertainment",
    "🎮": "Entertainment",
    "🎵": "Entertainment",
    "✈": "Travel",
    "🏨": "Travel",
    "📚": "Education",
    "🎓": "Education",
    "🎁": "Gifts",
    "💐": "Gifts",
    "🍟": "Food",
    "🥤": "Food",
    "🍦": "Food",
    "🍪": "Food",
    "🧁": "Food",
    "🍫": "Food",
    "🍿": "Food",
    "🥡": "Food",
    "🍱": "Food",
    "🍝": "Food",
    "🍛": "Food",
    "🥘": "Food",
    "🍗": "Food",
    "🍖": "Food",
    "🥩": "Food",
    "🍳": "Food",
    "🥞": "Food",
    "🧃": "Food",
    "🍹": "Food",
    "🍸": "Food",
    "🥂": "Food",
    "🍾": "Food",
    "🌯": "Food",
    "🥪": "Food",
    "🍞": "Food",
    "🚆": "Transport",
    "🚉": "Transport",
    "🛵": "Transport",
    "🏍": "Transport",
    "🚲": "Transport",
    "🛺": "Transport",
    "🚘": "Transport",
    "🚙": "Transport",
    "🚋": "Transport",
    "🚊": "Transport",
    "⚡": "Utilities",
    "🔌": "Utilities",
    "💧": "Utilities",
    "📶": "Utilities",
    "👗": "Shopping",
    "👖": "Shopping",
    "👠": "Shopping",
    "👜": "Shopping",
    "💄": "Shopping",
    "⌚": "Shopping",
    "💻": "Shopping",
    "🎧": "Shopping",
    "👔": "Shopping",
    "🧥": "Shopping",
    "💉": "Health",
    "🩺": "Health",
    "🦷": "Health",
    "💇": "Health",
    "🏋": "Health",
    "🎤": "Entertainment",
    "🎟": "Entertainment",
    "🎭": "Entertainment",
    "🎳": "Entertainment",
    "🎲": "Entertainment",
    "🎫": "Entertainment",
    "🎸": "Entertainment",
    "🏖": "Travel",
    "🧳": "Travel",
    "🛫": "Travel",
    "🛬": "Travel",
    "🏝": "Travel",
    "🗺": "Travel",
    "✏": "Education",
    "📝": "Education",
    "🏫": "Education",
    "📖": "Education",
    "💝": "Gifts",
    "🎀": "Gifts",
}

# Words that name a default category outright ("food", "transport"): the head of a
# "Food - Grocery" label.
CATEGORY_NAMES: Final = frozenset(
    {name.lower() for name in DEFAULT_EXPENSE_CATEGORIES + DEFAULT_INCOME_CATEGORIES}
    | {"grocery", "gift", "utility", "transportation", "bills", "bill", "misc"}
)

KEYWORD_COUNT: Final = len(EXPENSE_KEYWORDS) + len(INCOME_KEYWORDS) + len(EXPENSE_PHRASES)


def normalize_word(word: str) -> str:
    """Lower-case, without a possessive or inner apostrophes: ``McDonald's`` -> ``mcdonalds``."""
    return word.casefold().replace("’", "").replace("'", "")


def _variants(word: str) -> tuple[str, ...]:
    """The word and its plausible singular forms, most literal first."""
    if len(word) <= 3 or not word.endswith("s"):
        return (word,)
    if word.endswith("ies"):
        return (word, word[:-3] + "y", word[:-1])
    if word.endswith("es"):
        return (word, word[:-1], word[:-2])
    return (word, word[:-1])


def _find(table: Mapping[str, str], word: str) -> str | None:
    for form in _variants(word):
        found = table.get(form)
        if found is not None:
            return found
    if "-" in word:  # "Wal-Mart"
        return _find(table, word.replace("-", ""))
    if "." in word.strip("."):  # "NETFLIX.COM", "amazon.in"
        return _find(table, word.strip(".").split(".")[0])
    return None


def lookup(words: Sequence[str], kind: Kind) -> str | None:
    """Default category for normalized ``words`` (see :func:`normalize_word`), or None.

    Phrases beat single words at the same position; the earliest match wins; weak words
    ("bill", "ticket") only count when nothing else matched.
    """
    if kind == "income":
        table, phrases, weak = INCOME_KEYWORDS, INCOME_PHRASES, None
    else:
        table, phrases, weak = EXPENSE_KEYWORDS, EXPENSE_PHRASES, EXPENSE_WEAK
    fallback: str | None = None
    count = len(words)
    for i, word in enumerate(words):
        if i + 1 < count:
            nxt = words[i + 1]
            for form in _variants(nxt):
                found = phrases.get(word + " " + form)
                if found is not None:
                    return found
            if i + 2 < count:
                found = phrases.get(word + " " + nxt + " " + words[i + 2])
                if found is not None:
                    return found
        found = _find(table, word)
        if found is not None:
            return found
        if kind == "expense" and word in EMOJI:
            return EMOJI[word]
        if weak is not None and fallback is None:
            fallback = _find(weak, word)
    return fallback
