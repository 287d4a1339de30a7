"""WhatsApp's approved templates per reminder kind: what goes outside the 24-hour window instead of text.

Configured in `instance/whatsapp_templates.json`, one entry per reminder kind (and per notice kind that
reaches people who may never have written: `cadre_notice`, `receipt`, whose one variable is `text`), either
one template or one per language:

    {"dues_arrears": {"content_sid": "HX...", "variables": ["family", "amount", "va"]},
     "broadcast": {"id": {"content_sid": "HX...", "variables": ["text"]},
                   "en": {"content_sid": "HX...", "variables": ["text"]}}}

`variables` name, in order, the values that fill the template's {{1}}, {{2}}, ... (VALUE_NAMES). A kind
without a template reaches WhatsApp only inside the window; outside it the reminder is skipped as
`no_template` rather than sent as text Twilio would refuse (63016).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handlers.recipients import NOTICE_KINDS
from rules.reminder_rules import ALL_KINDS

# What a reminder's wording knows, and so what a template may ask for.
VALUE_NAMES = ("family", "name", "amount", "months", "due", "va", "va_mandiri", "date", "sequence", "text")


@dataclass(frozen=True, slots=True)
class Template:
    """An approved WhatsApp template: its ContentSid and the names of its numbered variables."""

    content_sid: str
    variables: tuple[str, ...]

    def fill(self, values: Mapping[str, object]) -> dict[str, object]:
        """ContentVariables: {"1": ..., "2": ...} from the reminder's values."""
        return {str(number): str(values.get(name, "-")) for number, name in enumerate(self.variables, start=1)}


class WhatsAppTemplates:
    """The approved templates by notice kind and language (instance/whatsapp_templates.json)."""

    def __init__(self, by_kind: Mapping[str, Mapping[str, Template]]) -> None:
        self.by_kind = {kind: dict(languages) for kind, languages in by_kind.items()}

    def find(self, kind: str, language: str) -> Template | None:
        """The kind's template in the chat's language, else its Indonesian one, else none."""
        languages = self.by_kind.get(kind, {})
        return languages.get(language) or languages.get("id")

    @classmethod
    def from_mapping(cls, raw: Any) -> WhatsAppTemplates:
        """Read the JSON shape above; a wrong kind, language or variable name is an error at start-up."""
        if not isinstance(raw, Mapping):
            raise ValueError("whatsapp_templates.json: expected a JSON object of reminder kinds")
        by_kind: dict[str, dict[str, Template]] = {}
        for kind, spec in raw.items():
            if kind not in (*ALL_KINDS, *NOTICE_KINDS):
                raise ValueError(f"whatsapp_templates.json: unknown message kind {kind!r} "
                                 f"({', '.join((*ALL_KINDS, *NOTICE_KINDS))})")
            languages = {"id": spec} if isinstance(spec, Mapping) and "content_sid" in spec else spec
            if not isinstance(languages, Mapping) or not languages:
                raise ValueError(f"whatsapp_templates.json: {kind} needs content_sid and variables")
            by_kind[kind] = {language: _template(kind, language, entry) for language, entry in languages.items()}
        return cls(by_kind)


def _template(kind: str, language: str, entry: Any) -> Template:
    where = f"whatsapp_templates.json: {kind} ({language})"
    if language not in ("id", "en"):
        raise ValueError(f"{where}: the language is id or en")
    if not isinstance(entry, Mapping) or not isinstance(entry.get("content_sid"), str) or not entry["content_sid"]:
        raise ValueError(f"{where}: content_sid is missing")
    variables = entry.get("variables", [])
    if not isinstance(variables, list) or any(name not in VALUE_NAMES for name in variables):
        raise ValueError(f"{where}: variables must be a list of {', '.join(VALUE_NAMES)}")
    return Template(entry["content_sid"], tuple(variables))
