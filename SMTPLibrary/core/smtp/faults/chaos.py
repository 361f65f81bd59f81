"""Random but reproducible failures: each matching command fails with a probability, drawn from a seeded generator.

The generator is this rule's own ``random.Random(seed)``, nobody else's: the
same seed and the same commands, in the same order, give the same failures.
Each command at one of the rule's stages takes one draw; a command that fails
takes a second one to pick its code, when there are several. With one client
sending one message after the other, a run is replayed exactly; with several
at once, the order in which the server meets their commands decides who gets
which draw. Without a seed, one is chosen at random and kept on the rule
(:attr:`Chaos.seed`): logged, so that a failing run can be replayed.

Draws are taken on the server's event loop thread only.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Sequence

from ...errors import InvalidArgument
from ...values import whole_number
from .rules import Reply, make_reply, normalize_stage


def _items(value: object, name: str) -> list[object]:
    """A list from a list, or from text separated by commas or spaces."""
    if isinstance(value, str):
        items: list[object] = [item for item in value.replace(",", " ").split() if item]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [value]
    if not items:
        raise InvalidArgument(f"{name} must name at least one, got {value!r}.")
    return items


def parse_probability(value: object) -> float:
    """A probability from 0 to 1: a number, or text such as ``0.2`` or ``20%``."""
    text = str(value).strip()
    try:
        probability = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        probability = math.nan
    if isinstance(value, bool) or not 0 <= probability <= 1:
        raise InvalidArgument(
            f"probability must be a number from 0 to 1 (0.2 fails one command in five), or a percentage "
            f"such as 20%, got {value!r}."
        )
    return probability


def parse_codes(value: object) -> list[int]:
    codes = []
    for item in _items(value, "codes"):
        try:
            codes.append(int(str(item).strip()))
        except ValueError:
            raise InvalidArgument(f"codes must be reply codes like 451 or 554, got {item!r}.") from None
    return codes


class Chaos:
    """Fail each command at ``stages`` with ``probability``, answering one of ``codes``."""

    def __init__(
        self,
        probability: float | str,
        codes: int | str | Sequence[int | str] = 451,
        stages: str | Sequence[str] = "RCPT",
        seed: int | None = None,
    ) -> None:
        self.probability = parse_probability(probability)
        self.stages = tuple(dict.fromkeys(normalize_stage(str(stage)) for stage in _items(stages, "stages")))
        numbers = parse_codes(codes)
        for stage in self.stages:
            for code in numbers:
                if not 400 <= code <= 599:
                    raise InvalidArgument(
                        f"Chaos fails commands: give 4xx codes (the client should retry, e.g. 451) or 5xx codes "
                        f"(e.g. 554), got {code}."
                    )
                make_reply(stage, code, None)  # checks the code makes sense at the stage
        self.codes = tuple(numbers)
        if seed is None:
            seed = secrets.randbelow(2**32)
        self.seed = whole_number(seed, "seed must be a whole number, 0 or more")
        self._random = random.Random(self.seed)
        self.drawn = 0

    def draw(self, stage: str) -> Reply | None:
        """The reply failing this command at ``stage``, or ``None`` to carry on normally."""
        if stage not in self.stages:
            return None
        self.drawn += 1
        if self._random.random() >= self.probability:
            return None
        codes = self.codes
        code = codes[0] if len(codes) == 1 else codes[min(int(self._random.random() * len(codes)), len(codes) - 1)]
        return make_reply(stage, code, None)

    def __str__(self) -> str:
        codes = ", ".join(map(str, self.codes))
        stages = ", ".join(self.stages)
        return f"chaos failing {self.probability * 100:g}% of {stages} commands with {codes}, seed {self.seed}"

    def __repr__(self) -> str:
        return f"<Chaos {self}>"
