"""What the JKN identifiers tell: a family's virtual accounts from its head's card, masking for replies and logs."""

from __future__ import annotations


def virtual_accounts(head_card_number: str) -> dict[str, str]:
    """The family's VA number per bank: a prefix plus the last 11 digits of the head's card number."""
    digits = head_card_number.strip()
    if not digits.isdigit() or len(digits) < 11:
        raise ValueError("a card number has at least 11 digits")
    tail = digits[-11:]
    return {
        "BRI": "88888" + tail,
        "BNI": "88888" + tail,
        "BTN": "88888" + tail,
        "BCA": "88888" + tail,
        "Mandiri": "89888" + tail,
    }


def mask_identifier(identifier: str) -> str:
    """A card number, NIK or KK number safe for replies and logs (UU PDP): the first 4 and the last 4
    characters, the rest as stars. Anything of 8 characters or fewer is all stars, as showing 4 + 4 would
    show it whole."""
    value = identifier.strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(name: str) -> str:
    """A person's name safe for a cadre's echo: the first two letters of each word, the rest as dots
    ("Budi Santoso" -> "Bu•• Sa•••••"), enough to tell households apart without spelling anyone out. Not
    stars: WhatsApp reads text between stars as bold."""
    return " ".join(word[:2] + "•" * max(len(word) - 2, 0) for word in name.split())
