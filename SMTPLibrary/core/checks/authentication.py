"""A message's DKIM, SPF, DMARC and ARC results together, the header a receiver would add,
and how they differ from what a test expects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgument
from .header import authentication_results
from .results import RESULT_WORDS, ARCResult, DKIMResult, DMARCResult, SPFResult

METHODS = ("dkim", "spf", "dmarc", "arc")
NO_SIGNATURE = "dkim=none (the message has no DKIM-Signature)"


@dataclass(frozen=True)
class Authentication:
    """What :func:`~.run.authenticate` found: ``dkim`` (every signature, in header order),
    ``spf``, ``dmarc``, ``arc``, and :attr:`header`."""

    dkim: tuple[DKIMResult, ...]
    spf: SPFResult
    dmarc: DMARCResult
    arc: ARCResult
    authserv_id: str = "localhost"

    @property
    def dkim_result(self) -> str:
        """One word for all signatures: ``none`` without any, ``pass`` when every one passed,
        else the result of the first that did not."""
        if not self.dkim:
            return "none"
        return next((signature.result for signature in self.dkim if not signature.passed), "pass")

    @property
    def header(self) -> str:
        """The Authentication-Results field (RFC 8601) a receiver would add, folded with CRLF."""
        return authentication_results(self.authserv_id, self.dkim, self.spf, self.dmarc, self.arc)

    def differences(
        self, dkim: str | None = None, spf: str | None = None, dmarc: str | None = None, arc: str | None = None
    ) -> list[str]:
        """A line for each check whose result is not the expected one (``None``: not checked).

        ``dkim`` is expected of every signature: ``dkim='pass'`` lists each signature that
        did not pass, or the missing signature; ``dkim='none'`` lists every signature there is."""
        expected = expected_results(dkim, spf, dmarc, arc)
        lines: list[str] = []
        want = expected["dkim"]
        if want is not None:
            if not self.dkim:
                if want != "none":
                    lines.append(NO_SIGNATURE)
            else:
                lines += [signature.describe() for signature in self.dkim if signature.result != want]
        for name in ("spf", "dmarc", "arc"):
            result = getattr(self, name)
            if expected[name] is not None and result.result != expected[name]:
                lines.append(result.describe())
        return lines

    def as_fields(self) -> dict[str, Any]:
        """The results as plain values, with the same names (for Robot's Remote interface)."""
        return {
            "dkim": [signature.as_fields() for signature in self.dkim],
            "dkim_result": self.dkim_result,
            "spf": self.spf.as_fields(),
            "dmarc": self.dmarc.as_fields(),
            "arc": self.arc.as_fields(),
            "header": self.header,
            "authserv_id": self.authserv_id,
        }

    def __str__(self) -> str:
        return self.header


def expected_results(
    dkim: str | None = None, spf: str | None = None, dmarc: str | None = None, arc: str | None = None
) -> dict[str, str | None]:
    """The expected results, each checked to be one of RFC 8601's words (``None``: not checked)."""
    given = (dkim, spf, dmarc, arc)
    return {name: expected_word(name, value) for name, value in zip(METHODS, given, strict=True)}


def expected_word(name: str, value: object) -> str | None:
    """An expected result as one of :data:`RESULT_WORDS` (any case); ``None`` and '' mean "not checked"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    word = str(value).strip().lower()
    if word not in RESULT_WORDS:
        raise InvalidArgument(f"{name} must be one of {', '.join(RESULT_WORDS)}, got {value!r}.")
    return word


def passing(names: str) -> dict[str, str]:
    """``{'dkim': 'pass', 'spf': 'pass'}`` for ``'dkim, spf'``: the checks named (commas or spaces
    between them, any case) expected to pass."""
    chosen = [name.lower() for name in names.replace(",", " ").split()]
    if not chosen or any(name not in METHODS for name in chosen):
        raise InvalidArgument(f"The checks to pass are among {', '.join(METHODS)}, separated by commas, got {names!r}.")
    return dict.fromkeys(chosen, "pass")
