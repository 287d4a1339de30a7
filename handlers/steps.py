"""What the flows' steps share: a step's row in the table, asking again with the way out, and carrying on.

A flow is a few named steps (each flow module exports its state names). A step says which messages read as
its answer (`reads`), so that a message it cannot read and that is clearly a keyword leaves the step and does
what it says (handlers/__init__.py); everything else is the step's to answer, and a step that cannot use an
answer asks again and says how to leave.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.messages import Choice, Reply
from bot.turns import Turn
from handlers.texts import text
from handlers.values import yes_or_no


@dataclass(frozen=True)
class Resume:
    """Identity is proved: carry on with what the member asked for (`then`, as typed) for this family.

    A value rather than a call, because identity cannot import the keyword table that imports it.
    """

    then: str
    family_id: int
    said: str = ""  # what to say first ("Terima kasih Budi, data Anda cocok.")


StepAnswer = Callable[[Turn], "Reply | Resume"]


@dataclass(frozen=True)
class Step:
    """One step of a flow: what answers it, and whether a message reads as its answer at all."""

    answer: StepAnswer
    reads: Callable[[Turn], bool]


def any_text(turn: Turn) -> bool:
    """Free-text steps (a complaint's text) read every message as their answer."""
    return True


def yes_or_no_given(turn: Turn) -> bool:
    """Questions that want a yes or a no (consent, REHAB's confirmation) read one, in the one vocabulary."""
    return yes_or_no(turn.incoming.choice or turn.text) is not None


def ask_again(state: str, data: Mapping[str, object], language: str, *said: str,
              choices: tuple[Choice, ...] | list[Choice] = ()) -> Reply:
    """The step could not use the answer: say why, ask again, and say how to leave (BATAL)."""
    reply = Reply(state=state, data=dict(data))
    *before, last = said
    for message in before:
        reply.say(message)
    return reply.say(last + "\n" + text("step.leave", language), choices)
