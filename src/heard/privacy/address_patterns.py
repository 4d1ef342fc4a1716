"""The regular expressions behind `heard.privacy.addresses`, built from named pieces so that each
address shape can be read on its own, plus the word lists that decide which of them to run.
Case-insensitive parts are marked ``(?i:...)``."""

from __future__ import annotations

import re


def alternatives(names: list[str]) -> str:
    """A regular expression matching any of ``names`` (longest first)."""
    ordered = sorted((re.escape(name) for name in names), key=len, reverse=True)
    return f"(?:{'|'.join(ordered)})"


# Word lists (also used to decide which patterns a text needs).
EN_TYPES = (
    "Street St Avenue Ave Av Road Rd Boulevard Blvd Lane Ln Drive Dr Court Ct Place Pl Terrace "
    "Ter Way Parkway Pkwy Highway Hwy Close Crescent Cres Gardens Gdns Square Sq Row Mews Grove "
    "Hill Circle Cir Trail Trl Walk Alley Plaza Parade Loop Expressway Freeway Turnpike Pike "
    "Causeway Embankment Quay Wharf"
).split()
# Street types taken in lower case (after an address cue): the unambiguous ones.
LOWER_TYPES = (
    "street st avenue ave road rd lane ln drive dr boulevard blvd way court ct place pl terrace "
    "close crescent parkway highway square gardens grove mews row"
).split()
FR_TYPES = (
    "rue avenue av bd boulevard place allée allee chemin impasse quai cours route passage square "
    "esplanade parvis"
).split()
NORTH_SUFFIXES = (
    "straße strasse str weg gasse platz allee damm ufer chaussee steig pfad straat laan gracht "
    "plein kade singel dijk vej gade gatan gata vägen väg veien gränd torget"
).split()
# English words with a street type's ending or before a street type: "Brigade 7", "2 Google Drive".
NOT_NORTH = "Brigade Renegade Blockade Brocade".split()
NOT_BEFORE_TYPE = (
    "google hard flash usb thumb disk disc external network cloud shared test memory fast food "
    "bankruptcy supreme county crown magistrates claims milky"
).split()
SOUTH_TYPES = (
    "Viale Piazza Piazzale Vicolo Calle C Avenida Avda Paseo Carrer Passeig Rua Travessa Praça "
    "Camino Via Plaza Corso Largo"
).split()
UNIT_WORDS = "apt apartment suite ste unit flat floor fl room rm".split()
STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY"
).split()
AU_STATES = "NSW VIC QLD WA SA TAS ACT NT".split()
CA_PROVINCES = "AB BC MB NB NL NS NT NU ON PE QC SK YT".split()
# Named houses ("Rose Cottage, Mill Lane, Ashby"): the last word of the house's name.
HOUSE_NAMES = (
    "Cottage Cottages House Farm Farmhouse Rectory Vicarage Lodge Barn Hall Manor Mill Grange "
    "Bungalow Croft Villa"
).split()
# Words that may stand in a street name that ends in its number ("Unter den Linden 77",
# "Karl Johans gate 22"), taken only with a postcode and city after the number.
EU_NAME_PARTICLES = (
    "den der dem des am an im zum zur von van de la le du di del della da do dos das y gate "
    "gata gade vej vei veien"
).split()
# Capitalised words that do not start a street name taken before a postcode ("Windows 10,
# 2024 Edition") or end a locality ("16 Kings Road, Thanks").
NOT_PLACE = (
    "Order Ticket Invoice Case Room Gate Flight Platform Bus Route Windows Version Chapter "
    "Section Page Step Item Level Series Model Edition Galaxy Pixel Batch Lot Week Day Year "
    "Thanks Thank Please Cheers Regards Best Kind Many Sorry Hi Hello Dear But And So Then The "
    "This That It I We You They He She My Our Your Not Yes No OK Ok Okay Also Just Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday Today Tomorrow Tonight ASAP Asap "
    "Apt Apartment Flat Unit Suite Floor"
).split()

_UPPER = "A-ZÀ-ÖØ-Þ"
_CAP = rf"[{_UPPER}][\w'’.-]*"
_ORDINAL = r"[0-9]{1,3}(?:st|nd|rd|th)"
# A house number, a range, or an Australian unit/number ("3/45"). The patterns that start with
# it start with a digit class, which the regular expression engine scans for quickly.
_HOUSE = (
    r"[0-9](?<![\w#$£€.,/:-][0-9])(?:[0-9]{0,3}[A-Za-z]?/[0-9]{1,5}|[0-9]{0,4})[A-Za-z]?"
    r"(?:[-–][0-9]{1,5}[A-Za-z]?)?"
)
_STATE = alternatives(STATES)
_UK_POSTCODE = r"(?:[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}|GIR ?0AA)"
_CITY = rf"{_CAP}(?:[ -]{_CAP}){{0,2}}"
_ZIP = r"[0-9]{5}(?:-[0-9]{4})?"
# DE FR IT ES (5 digits), AT CH BE DK NO (4), NL (1015 CJ), PT (4050-265), SE CZ GR (111 21),
# PL (00-950).
_EU_POSTCODE = (
    r"(?:[0-9]{4}-[0-9]{3}|[0-9]{4} ?[A-Z]{2}|[0-9]{3} [0-9]{2}|[0-9]{2}-[0-9]{3}|[0-9]{4,5})"
)
_AU_POSTCODE = rf"{alternatives(AU_STATES)}[ \t]+[0-9]{{4}}"
_CA_POSTCODE = rf"{alternatives(CA_PROVINCES)}[ \t]+[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]"
# After a street: a locality with its postcode (", Mountain View, CA 94043", ", London SW1A 2AA",
# ", 75001 Paris", ", Sydney NSW 2000", ", Ottawa, ON K2P 1L4").
_TAIL = (
    rf"(?:(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)"
    rf"(?:{_CITY},?[ \t]+(?:{_STATE}[ \t]+{_ZIP}|{_AU_POSTCODE}|{_CA_POSTCODE})"
    rf"|(?:{_CITY},?\s+)?{_UK_POSTCODE}"
    rf"|{_EU_POSTCODE}[ \t]+{_CITY})(?![\w]))?"
)
# Or, without a postcode, one or two localities that end the phrase (", Little Whinging",
# ", Ennis, Co. Clare", ", Dublin 2"); not a word such as "Thanks" or "Monday".
_PLACE_WORD = rf"[{_UPPER}][\w'’]*"
_PLACE = (
    rf"(?!{alternatives(NOT_PLACE)}(?![\w]))(?:(?:Co|St|Ste|Mt)\.?[ \t]+|County[ \t]+)?"
    rf"{_PLACE_WORD}(?:[ -](?:(?:upon|on|in|le|la|sur|de|en)[ -])?{_PLACE_WORD}){{0,2}}"
)
_LOCALITY = rf"(?:,[ \t]*{_PLACE}(?:[ \t]+[0-9]{{1,2}}W?)?(?=[ \t]*(?:[,.;!?)\n]|$))){{0,2}}"
_UNIT_WORD = rf"(?i:{alternatives(UNIT_WORDS)}\.?)"
_UNIT_ID = r"#?[ \t]*(?:[0-9]{1,5}[A-Za-z]?|[A-Za-z][0-9]{1,4}|[A-Z](?![\w]))"
_UNIT_AFTER = rf"(?:,?[ \t]*(?:{_UNIT_WORD}|#)[ \t]*{_UNIT_ID})?"
# Title Case prose ("3 Days On The Way") is not a street name.
_NOT_NAME = alternatives(
    "On In At Of To For And Or But By From With My Your Our Is Was Are It I We You".split()
)
_EN_STREET = (
    rf"{_HOUSE},?[ \t]+(?:(?!{_NOT_NAME}[ \t])(?:{_CAP}|{_ORDINAL})[ \t]+){{1,4}}"
    rf"(?P<type>(?i:{alternatives(EN_TYPES)}))(?![\w])(?:\.(?=,))?"
    rf"(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)(?![\w]))?"
)
# Type first, in English: "1211 Avenue of the Americas", "210 Avenue A".
_TYPE_FIRST = rf"{_HOUSE}[ \t]+(?:Avenue|Boulevard)[ \t]+(?:of[ \t]+the[ \t]+{_CAP}|[A-Z](?![\w]))"
_LOWER_STREET = (
    rf"{_HOUSE},?[ \t]+(?:[^\W\d_][\w'’.-]*[ \t]+){{1,3}}"
    rf"(?i:{alternatives(LOWER_TYPES)})(?![\w])"
)
_FR_STREET = (
    rf"{_HOUSE}(?:[ \t]?(?i:bis|ter))?,?[ \t]+(?i:{alternatives(FR_TYPES)}\.?)[ \t]+"
    rf"(?:(?:de[ \t]+la|du|des|de)[ \t]+|[dl]['’])?{_CAP}"
    rf"(?:[ \t-](?:de|du|des|la|le|et|{_CAP})){{0,4}}"
)
_NORTH_WORD = (
    rf"(?:{_CAP}[ \t]+)?(?!{alternatives(NOT_NORTH)}[ \t])[{_UPPER}][\w'’-]*?"
    rf"(?i:{alternatives([s for s in NORTH_SUFFIXES if s != 'str'])}|str\.)"
    # the suffix as a word of its own after the name: "Mariahilfer Straße"
    rf"|{_CAP}[ \t]+(?:Straße|Strasse|Gasse|Platz|Allee|Weg|Damm|Ufer)"
)
_NORTH_STREET = (
    rf"(?<![\w-])(?:{_NORTH_WORD})[ \t]+"
    rf"[0-9]{{1,4}}[a-z]?(?:[-–][0-9]{{1,4}}[a-z]?)?(?![\w])"
)
# Any street that ends in its number, taken only with a postcode and city after it:
# "Unter den Linden 77, 10117 Berlin", "Damrak 1, 1012 LG Amsterdam", "Avenue Louise 54, 1050
# Bruxelles".
_EU_STREET = (
    rf"(?<![\w-])(?!{alternatives(NOT_PLACE)}(?![\w])){_CAP}"
    rf"(?:[ \t]+(?:{_CAP}|{alternatives(EU_NAME_PARTICLES)})){{0,3}}"
    rf"[ \t]+[0-9]{{1,4}}[a-zA-Z]?,?[ \t]+{_EU_POSTCODE}[ \t]+"
    rf"(?!{alternatives(NOT_PLACE)}(?![\w])){_CITY}(?![\w])"
)
# A named house, then its street without a number: "Rose Cottage, Mill Lane, Ashby".
_NAMED_HOUSE = (
    rf"(?<![\w])(?:The[ \t]+)?(?:{_CAP}[ \t]+){{0,2}}{alternatives(HOUSE_NAMES)},[ \t]*"
    rf"(?:{_CAP}[ \t]+){{1,3}}(?i:{alternatives(EN_TYPES)})(?![\w])"
)
_SOUTH_NAME = (
    r"(?:(?:de[ \t]+la|de[ \t]+los|de[ \t]+las|del|de|dos|das|do|da|di|della|dei|delle|degli)"
    rf"[ \t]+|d['’])?{_CAP}(?:[ \t](?:de|del|di|da|do|dos|della|{_CAP})){{0,3}}"
)
_SOUTH_NUMBER = r",?[ \t]+(?:n[º°o]\.?[ \t]*)?[0-9]{1,4}[a-zA-Z]?(?![\w])"
_SOUTH_STREET = (
    rf"(?<![\w])(?:Viale|Piazza|Piazzale|Vicolo|Calle|C/|Avenida|Avda\.|Paseo|Carrer|Passeig|"
    rf"Rua|Travessa|Praça|Camino)[ \t]+{_SOUTH_NAME}{_SOUTH_NUMBER}"
    # "Via", "Plaza", "Corso" and "Largo" also start English phrases ("Via Amazon 2 days ago"):
    # only when the number ends the phrase.
    rf"|(?<![\w])(?:Via|Plaza|Corso|Largo)[ \t]+{_SOUTH_NAME}{_SOUTH_NUMBER}"
    rf"(?=[ \t]*(?:[,.;!?)\n]|$)|[ \t]+(?:in|at|near)[ \t]+[{_UPPER}])"
)

EN_STREET = re.compile(rf"{_EN_STREET}{_UNIT_AFTER}{_TAIL}{_LOCALITY}")
TYPE_FIRST = re.compile(rf"{_TYPE_FIRST}{_UNIT_AFTER}{_TAIL}{_LOCALITY}")
LOWER_STREET = re.compile(rf"{_LOWER_STREET}{_UNIT_AFTER}{_TAIL}{_LOCALITY}")
FR_STREET = re.compile(rf"{_FR_STREET}{_UNIT_AFTER}{_TAIL}{_LOCALITY}")
NORTH_STREET = re.compile(rf"{_NORTH_STREET}{_UNIT_AFTER}{_TAIL}{_LOCALITY}")
SOUTH_STREET = re.compile(rf"(?:{_SOUTH_STREET}){_UNIT_AFTER}{_TAIL}{_LOCALITY}")
EU_STREET = re.compile(rf"{_EU_STREET}{_LOCALITY}")
NAMED_HOUSE = re.compile(rf"{_NAMED_HOUSE}{_TAIL}{_LOCALITY}")
# What must come right before a lower-case street: "I live at", "ship it to", "address is".
ADDRESS_CUE = re.compile(
    r"(?i:(?:live[sd]?|living|reside|residing|located|based|staying|moved|moving)[ \t]+(?:at|to)"
    r"|address(?:[ \t]+is)?[ \t]*:?|(?:ship|send|deliver|post|mail|sent|shipped|delivered|posted"
    r"|go|goes|gone|going|went|come|came)"
    r"(?:[ \t]+(?:it|them|this|that|everything|the[ \t]+\w+))?[ \t]+to"
    r"|my[ \t]+(?:house|home|flat|apartment|place)[ \t]+(?:at|is[ \t]+at|is))[ \t]+$"
)
# A flat or unit before a street ("Flat 2, 18 Willowmere Road") is taken with the street.
UNIT = re.compile(rf"(?<![\w]){_UNIT_WORD}[ \t]*{_UNIT_ID}")
# `_UK_POSTCODE` on its own, written to start with a character class (this runs on every
# message with a digit, and such a pattern is scanned for far faster than one starting with a
# look-behind).
UK_POSTCODE = re.compile(
    r"[A-PR-UWYZ](?<![\w][A-PR-UWYZ])"
    r"(?:[A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}|(?<=G)IR ?0AA)(?![\w])"
)
# A UK postcode in lower case, only right after "postcode" ("my postcode is ls1 4dy").
CUED_POSTCODE = re.compile(
    rf"(?i:post[ \t]?code|postal[ \t]+code)(?:[ \t]+is)?[ \t]*:?[ \t]*"
    rf"(?P<code>(?i:{_UK_POSTCODE}))(?![\w])"
)
CITY_STATE_ZIP = re.compile(rf"(?<![\w]){_CITY},[ \t]*{_STATE}[ \t]+{_ZIP}(?![\w-])")
PO_BOX = re.compile(
    r"(?<![\w])(?i:p\.?[ \t]?o\.?[ \t]?box|post[ \t]+office[ \t]+box)[ \t]+[0-9]{1,6}(?![\w])"
)
APARTMENT = re.compile(
    r"(?<![\w])(?:Apt\.?|apt\.?|Apartment|apartment)[ \t]*#?[ \t]*"
    r"(?:[0-9]{1,5}[A-Za-z]?|[A-Z][0-9]{1,4})(?![\w])"
    r"|(?<![\w])Apt\.?[ \t]+[A-Z](?![\w])"
)
