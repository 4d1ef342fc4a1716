"""The regular expressions behind `heard.privacy.addresses`, built from named pieces so that each
address shape can be read on its own, plus the word lists that decide which of them to run.
Case-insensitive parts are marked ``(?i:...)``."""

from __future__ import annotations

import re


def _alternatives(names: list[str]) -> str:
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

_UPPER = "A-ZÀ-ÖØ-Þ"
_CAP = rf"[{_UPPER}][\w'’.-]*"
_ORDINAL = r"[0-9]{1,3}(?:st|nd|rd|th)"
_HOUSE = r"(?<![\w#$£€.,/:-])[0-9]{1,5}[A-Za-z]?(?:[-–][0-9]{1,5}[A-Za-z]?)?"
_STATE = _alternatives(STATES)
_UK_POSTCODE = r"(?:[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}|GIR ?0AA)"
_CITY = rf"{_CAP}(?:[ -]{_CAP}){{0,2}}"
_ZIP = r"[0-9]{5}(?:-[0-9]{4})?"
_EU_POSTCODE = r"(?:[0-9]{4,5}|[0-9]{4} ?[A-Z]{2})"
# After a street: a locality taken only with its postcode (", Mountain View, CA 94043",
# ", London SW1A 2AA", ", 75001 Paris"); a lone city name is left in place.
_TAIL = (
    rf"(?:(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)"
    rf"(?:{_CITY},?[ \t]+{_STATE}[ \t]+{_ZIP}"
    rf"|(?:{_CITY},?\s+)?{_UK_POSTCODE}"
    rf"|{_EU_POSTCODE}[ \t]+{_CITY})(?![\w]))?"
)
_UNIT_WORD = rf"(?i:{_alternatives(UNIT_WORDS)}\.?)"
_UNIT_ID = r"#?[ \t]*(?:[0-9]{1,5}[A-Za-z]?|[A-Za-z][0-9]{1,4}|[A-Z](?![\w]))"
_UNIT_AFTER = rf"(?:,?[ \t]*(?:{_UNIT_WORD}|#)[ \t]*{_UNIT_ID})?"
# Title Case prose ("3 Days On The Way") is not a street name.
_NOT_NAME = _alternatives(
    "On In At Of To For And Or But By From With My Your Our Is Was Are It I We You".split()
)
_EN_STREET = (
    rf"{_HOUSE},?[ \t]+(?:(?!{_NOT_NAME}[ \t])(?:{_CAP}|{_ORDINAL})[ \t]+){{1,4}}"
    rf"(?P<type>(?i:{_alternatives(EN_TYPES)}))(?![\w])(?:\.(?=,))?"
    rf"(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW)(?![\w]))?"
)
_LOWER_STREET = (
    rf"{_HOUSE},?[ \t]+(?:[^\W\d_][\w'’.-]*[ \t]+){{1,3}}"
    rf"(?i:{_alternatives(LOWER_TYPES)})(?![\w])"
)
_FR_STREET = (
    rf"{_HOUSE}(?:[ \t]?(?i:bis|ter))?,?[ \t]+(?i:{_alternatives(FR_TYPES)}\.?)[ \t]+"
    rf"(?:(?:de[ \t]+la|du|des|de)[ \t]+|[dl]['’])?{_CAP}"
    rf"(?:[ \t-](?:de|du|des|la|le|et|{_CAP})){{0,4}}"
)
_NORTH_STREET = (
    rf"(?<![\w-])(?:{_CAP}[ \t]+)?(?!{_alternatives(NOT_NORTH)}[ \t])[{_UPPER}][\w'’-]*?"
    rf"(?i:{_alternatives([s for s in NORTH_SUFFIXES if s != 'str'])}|str\.)[ \t]+"
    rf"[0-9]{{1,4}}[a-z]?(?:[-–][0-9]{{1,4}}[a-z]?)?(?![\w])"
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
    r"(?=[ \t]*(?:[,.;!?)\n]|$))"
)

EN_STREET = re.compile(rf"{_EN_STREET}{_UNIT_AFTER}{_TAIL}")
LOWER_STREET = re.compile(rf"{_LOWER_STREET}{_UNIT_AFTER}{_TAIL}")
FR_STREET = re.compile(rf"{_FR_STREET}{_UNIT_AFTER}{_TAIL}")
NORTH_STREET = re.compile(rf"{_NORTH_STREET}{_UNIT_AFTER}{_TAIL}")
SOUTH_STREET = re.compile(rf"(?:{_SOUTH_STREET}){_UNIT_AFTER}{_TAIL}")
# What must come right before a lower-case street: "I live at", "ship it to", "address is".
ADDRESS_CUE = re.compile(
    r"(?i:(?:live[sd]?|living|reside|residing|located|based|staying|moved|moving)[ \t]+(?:at|to)"
    r"|address(?:[ \t]+is)?[ \t]*:?|(?:ship|send|deliver|post|mail|sent|shipped|delivered|posted)"
    r"(?:[ \t]+(?:it|them|this|that|everything|the[ \t]+\w+))?[ \t]+to"
    r"|my[ \t]+(?:house|home|flat|apartment|place)[ \t]+(?:at|is[ \t]+at|is))[ \t]+$"
)
# A flat or unit before a street ("Flat 2, 18 Willowmere Road") is taken with the street.
UNIT = re.compile(rf"(?<![\w]){_UNIT_WORD}[ \t]*{_UNIT_ID}")
UK_POSTCODE = re.compile(rf"(?<![\w]){_UK_POSTCODE}(?![\w])")
CITY_STATE_ZIP = re.compile(rf"(?<![\w]){_CITY},[ \t]*{_STATE}[ \t]+{_ZIP}(?![\w-])")
PO_BOX = re.compile(
    r"(?<![\w])(?i:p\.?[ \t]?o\.?[ \t]?box|post[ \t]+office[ \t]+box)[ \t]+[0-9]{1,6}(?![\w])"
)
APARTMENT = re.compile(
    r"(?<![\w])(?:Apt\.?|apt\.?|Apartment|apartment)[ \t]*#?[ \t]*"
    r"(?:[0-9]{1,5}[A-Za-z]?|[A-Z][0-9]{1,4})(?![\w])"
    r"|(?<![\w])Apt\.?[ \t]+[A-Z](?![\w])"
)
