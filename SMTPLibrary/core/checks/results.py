"""What each authentication check found, as plain frozen values (no check library needed).

Every ``result`` is one of RFC 8601's words (section 2.7): :data:`RESULT_WORDS`.
Each value's :meth:`describe` is the line a failure shows, for example
``dkim=fail (body hash did not verify) for d=example.com s=test``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

RESULT_WORDS = ("pass", "fail", "none", "neutral", "softfail", "temperror", "permerror")


class _Result:
    result: str

    @property
    def passed(self) -> bool:
        return self.result == "pass"

    def as_fields(self) -> dict[str, Any]:
        """The result as plain values (for Robot's Remote interface)."""
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    def describe(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True)
class DKIMResult(_Result):
    """One DKIM-Signature and what became of it."""

    result: str  # pass, fail, permerror, temperror
    reason: str  # RFC 6376's words for what failed; '' for pass
    domain: str  # d=
    selector: str  # s=
    algorithm: str = ""  # a=
    canonicalization: str = ""  # c= as written ('' is simple/simple)
    identity: str = ""  # i=
    signature: str = ""  # the first characters of b= (header.b, RFC 6008)

    def describe(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return f"dkim={self.result}{why} for d={self.domain or '?'} s={self.selector or '?'}"


@dataclass(frozen=True)
class SPFResult(_Result):
    """The SPF result (RFC 7208) of the envelope sender, or of the HELO name for the null reverse path."""

    result: str  # pass, fail, softfail, neutral, none, permerror, temperror
    reason: str  # pyspf's explanation
    domain: str  # whose record was checked
    identity: str  # 'mailfrom', or 'helo' for the null reverse path
    sender: str  # the MAIL FROM address checked, '' for the null reverse path
    ip: str
    helo: str

    def describe(self) -> str:
        why = f" ({self.reason})" if self.reason and not self.passed else ""
        return f"spf={self.result}{why} for {self.identity} {self.sender or self.helo or '?'} from {self.ip or '?'}"


@dataclass(frozen=True)
class DMARCResult(_Result):
    """The DMARC result (RFC 7489): the From domain's policy, and whether a passing DKIM or SPF identity aligns."""

    result: str  # pass, fail, none, permerror, temperror
    reason: str
    from_domain: str
    policy: str = ""  # what applies to the From domain: p=, or sp= for a subdomain; '' without a record
    record_domain: str = ""  # where the record was found
    organisational_domain: str = ""
    adkim: str = "r"
    aspf: str = "r"
    dkim_aligned: bool = False
    spf_aligned: bool = False
    dkim_domain: str = ""  # the passing, aligned d=
    spf_domain: str = ""  # the passing, aligned SPF domain
    record: str = ""
    pct: int = 100

    @property
    def disposition(self) -> str:
        """What the policy asks a receiver to do with the message: ``none``, ``quarantine`` or ``reject``."""
        return self.policy if self.result == "fail" and self.policy else "none"

    def as_fields(self) -> dict[str, Any]:
        return {**super().as_fields(), "disposition": self.disposition}

    def describe(self) -> str:
        details = [text for text in (self.reason, self.policy and f"p={self.policy}") if text]
        why = f" ({'; '.join(details)})" if details else ""
        return f"dmarc={self.result}{why} for header.from={self.from_domain or '?'}"


@dataclass(frozen=True)
class ARCSet:
    """One ARC set (RFC 8617) as dkimpy validated it."""

    instance: int
    domain: str  # the ARC-Seal's d=
    selector: str
    chain: str  # cv= as the seal states it: none, pass, fail
    seal_valid: bool
    signature_valid: bool  # the ARC-Message-Signature


@dataclass(frozen=True)
class ARCResult(_Result):
    """The ARC chain validation (RFC 8617): pass, fail or none."""

    result: str
    reason: str
    sets: tuple[ARCSet, ...] = ()

    @property
    def instances(self) -> int:
        return len(self.sets)

    def describe(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        count = f" over {self.instances} set{'s' if self.instances != 1 else ''}" if self.sets else ""
        return f"arc={self.result}{why}{count}"
