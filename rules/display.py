"""Money and names as Indonesians read them: rupiah amounts, and the name a person is called by."""

from __future__ import annotations


def format_rupiah(amount: int) -> str:
    """Rupiah as Indonesians write it: Rp1.050.000 (dots between thousands, no decimals)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")



# Titles and name prefixes Indonesians write before the name they are called by: religious (Muhammad and its
# spellings and abbreviations, Haji/Hajjah), academic and professional (Ir., Dr., Drs., Prof.), nobility
# (Raden, Rr.) and forms of address. "Muhammad Syahrul" is called Syahrul; "Muhammad" alone stays Muhammad.
NAME_PREFIXES = frozenset({
    "MUHAMMAD", "MUHAMAD", "MUHAMMED", "MUHAMMAT", "MOHAMMAD", "MOHAMAD", "MOHAMMED", "MOCHAMMAD", "MOCHAMAD",
    "MUCHAMMAD", "MUCHAMAD", "MOHD", "MOH", "MOCH", "MUH", "MHD", "M",
    "H", "HJ", "HAJI", "HAJAH", "HAJJAH", "KH", "USTADZ", "USTAZ",
    "IR", "DR", "DRS", "DRA", "PROF", "RADEN", "R", "RR", "RA",
    "BAPAK", "PAK", "IBU", "BU", "TN", "NY", "SDR", "SDRI",
})


def called_name(full_name: str) -> str:
    """The name to greet a person by: the first word of their name after any leading titles or prefixes
    (H. Muhammad Yusuf -> Yusuf), as long as a word is left (Muhammad -> Muhammad); "" for no name."""
    words = full_name.split()
    while len(words) > 1 and _bare(words[0]) in NAME_PREFIXES:
        words.pop(0)
    return words[0].strip(",") if words else ""


def _bare(word: str) -> str:
    """'Moh.' -> 'MOH', 'K.H.' -> 'KH', 'dr.' -> 'DR'."""
    return "".join(ch for ch in word.upper() if ch.isalpha())
