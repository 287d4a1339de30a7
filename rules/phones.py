"""Indonesian phone numbers: any way people write one, as E.164 (+628...), and back as Indonesians dial it.

The one normaliser for every place a phone number comes in (the branch's CSV files, the web chat): cadres
are recognised and members reached by the E.164 form, so two spellings of one number must meet.
"""

from __future__ import annotations

import re

import phonenumbers

_NOISE = re.compile(r"[\s\-.()/]")
_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def compact(typed: str) -> str:
    """Spaces, dashes, dots, brackets and slashes out; 62... gets its '+', and 8... the 0 a spreadsheet ate."""
    digits = _NOISE.sub("", typed)
    if digits.startswith("62"):
        return "+" + digits
    if digits.startswith("8"):
        return "0" + digits
    return digits


def mobile_e164(typed: str) -> str | None:
    """Any way Indonesians write a mobile number (0812..., 62812..., +62 812-..., 812... after a spreadsheet
    ate the 0) as E.164; None when it is not an Indonesian mobile number (reminders go to WhatsApp)."""
    try:
        number = phonenumbers.parse(compact(typed), "ID")
    except phonenumbers.NumberParseException:
        return None
    # number_type is UNKNOWN for an invalid number, so it checks validity too (is_valid_number would match
    # the same patterns again: half the cost of a member import is here).
    if number.country_code != 62 or phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def local_number(e164: str | None) -> str:
    """+6281234567890 -> 081234567890, as Indonesians dial it; other countries as they are, "-" for none."""
    if not e164:
        return "-"
    return "0" + e164[3:] if e164.startswith("+62") else e164
