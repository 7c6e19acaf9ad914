"""Indian states and union territories: the name an address carries to its two-digit GST state code, and back.

An address's ``state`` is free text a customer typed: ``state_code_of`` reads it case-insensitively, ignoring
spaces, punctuation and ``&``/``and``, and knows the common spellings (old names such as Orissa, Pondicherry
and Uttaranchal; Delhi as New Delhi or the NCT of Delhi; the merged Dadra and Nagar Haveli and Daman and Diu
under either old name), the ISO 3166-2:IN and vehicle-registration abbreviations (KA, MH, OD/OR, TS/TG, UK/UT,
CG/CT ...) and the two-digit code itself. Anything else is None: the caller refuses it rather than guessing.
"""

from __future__ import annotations

import re

# Code -> canonical name, as the GST portal lists them. 25 (Daman and Diu) and 28 (Andhra Pradesh before 2014's
# division) are kept for documents issued under them; new supplies to those places take 26 and 37.
STATE_NAMES: dict[str, str] = {
    "01": "Jammu and Kashmir",
    "02": "Himachal Pradesh",
    "03": "Punjab",
    "04": "Chandigarh",
    "05": "Uttarakhand",
    "06": "Haryana",
    "07": "Delhi",
    "08": "Rajasthan",
    "09": "Uttar Pradesh",
    "10": "Bihar",
    "11": "Sikkim",
    "12": "Arunachal Pradesh",
    "13": "Nagaland",
    "14": "Manipur",
    "15": "Mizoram",
    "16": "Tripura",
    "17": "Meghalaya",
    "18": "Assam",
    "19": "West Bengal",
    "20": "Jharkhand",
    "21": "Odisha",
    "22": "Chhattisgarh",
    "23": "Madhya Pradesh",
    "24": "Gujarat",
    "25": "Daman and Diu",
    "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra",
    "28": "Andhra Pradesh (before division)",
    "29": "Karnataka",
    "30": "Goa",
    "31": "Lakshadweep",
    "32": "Kerala",
    "33": "Tamil Nadu",
    "34": "Puducherry",
    "35": "Andaman and Nicobar Islands",
    "36": "Telangana",
    "37": "Andhra Pradesh",
    "38": "Ladakh",
    "97": "Other Territory",
}

# Other spellings and abbreviations -> code. The canonical names (except 25 and 28) are added below.
# fmt: off
_ALIASES: dict[str, str] = {
    "jammu kashmir": "01", "j&k": "01", "jk": "01",
    "hp": "02",
    "pb": "03",
    "ch": "04",
    "uttaranchal": "05", "uk": "05", "ut": "05",
    "hr": "06",
    "new delhi": "07", "nct of delhi": "07", "national capital territory of delhi": "07", "delhi nct": "07",
    "dl": "07",
    "rj": "08",
    "up": "09",
    "br": "10",
    "sk": "11",
    "ar": "12",
    "nl": "13",
    "mn": "14",
    "mz": "15",
    "tr": "16",
    "ml": "17",
    "as": "18",
    "wb": "19", "paschim banga": "19", "bengal": "19",
    "jh": "20",
    "orissa": "21", "od": "21", "or": "21",
    "chattisgarh": "22", "chhatisgarh": "22", "cg": "22", "ct": "22",
    "mp": "23",
    "gj": "24",
    "daman and diu": "26", "daman": "26", "diu": "26", "dadra and nagar haveli": "26", "dadra": "26",
    "dnh": "26", "dnhdd": "26", "dh": "26", "dd": "26", "dn": "26",
    "mh": "27",
    "ka": "29",
    "ga": "30",
    "ld": "31",
    "kl": "32",
    "tamilnadu": "33", "tn": "33",
    "pondicherry": "34", "pondichery": "34", "py": "34",
    "andaman and nicobar": "35", "andaman": "35", "an": "35", "a&n islands": "35",
    "telengana": "36", "ts": "36", "tg": "36",
    "ap": "37",
    "la": "38",
    "other territory": "97",
}
# fmt: on

_NOISE = re.compile(r"[^a-z0-9]")
_PREFIX = re.compile(r"^((the|state of|union territory of|ut of)\s+)+")


def _key(text: str) -> str:
    """Lower case, '&' read as 'and', a leading 'the'/'state of'/'union territory of' dropped, then letters and
    digits only: 'Jammu & Kashmir', 'jammu and kashmir' and 'JAMMU-AND-KASHMIR' share one key."""
    lowered = " ".join(text.lower().replace("&", " and ").split())
    lowered = _PREFIX.sub("", lowered)
    return _NOISE.sub("", lowered)


_BY_KEY: dict[str, str] = {}
for _code, _name in STATE_NAMES.items():
    if _code not in ("25", "28"):
        _BY_KEY[_key(_name)] = _code
    _BY_KEY[_code] = _code
_BY_KEY["25"], _BY_KEY["28"] = "26", "37"  # an address naming a retired code is supplied under today's
for _alias, _code in _ALIASES.items():
    _BY_KEY[_key(_alias)] = _code


def state_code_of(state: str | None) -> str | None:
    """The GST state code of an address's ``state``, or None when it names no Indian state or territory."""
    if not state or not state.strip():
        return None
    return _BY_KEY.get(_key(state))


def state_name(code: str) -> str:
    """The canonical name of a GST state code; KeyError for a code that is none."""
    return STATE_NAMES[code]
