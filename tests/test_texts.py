"""The catalogue: every text in both languages with the same placeholders, and every key the code asks for."""

import re
import string
from pathlib import Path

import pytest

from handlers.texts import TEXTS, text

ROOT = Path(__file__).resolve().parent.parent


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_is_written_in_both_languages_with_the_same_placeholders(key):
    indonesian, english = TEXTS[key]
    assert indonesian.strip() and english.strip()
    assert placeholders(indonesian) == placeholders(english)


def test_every_key_the_code_names_is_in_the_catalogue():
    named = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        named |= set(re.findall(r"""\btext\(\s*["']([a-z_][a-z0-9_.]*)["']""", path.read_text(encoding="utf-8")))
    assert len(named) > 100  # the scan found the calls
    assert sorted(named - TEXTS.keys()) == []


def test_a_language_other_than_english_reads_indonesian():
    assert text("cancelled", "fr") == TEXTS["cancelled"][0]
