"""The test DNS: the records a test publishes, which the checks consult and nothing else.

A name with no record of any type is NXDOMAIN; a name with records of other
types only answers "no data". Names are compared without regard to case,
with or without the trailing dot; non-ASCII names are kept in their ACE
(``xn--``) form. Values are checked when added and kept in the shapes the
libraries reading them take (see :mod:`.lookups`). Standard library only:
importing it or publishing records needs none of the check libraries. The
Robot keyword and the behave step that add a record still ask for the
``checks`` extra first: records serve only the checks, so a missing extra
fails where the test starts using them, not at its first check.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InvalidArgument

RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "PTR", "TXT")

# A DNS character-string holds at most 255 octets: a longer TXT value is published as
# several strings, which readers join (RFC 7208 3.3, RFC 6376 3.6.2.2). A 2048-bit
# DKIM key record is two strings, as in a real zone.
TXT_STRING_MAX = 255


class NameNotFound(LookupError):
    """NXDOMAIN: the test DNS has no record of any type at this name."""


@dataclass(frozen=True)
class Record:
    """One published record: ``name`` lower case without the trailing dot, ``type`` upper case.

    ``value`` is in the shape its readers get: TXT a tuple of character-strings
    (bytes), MX ``(preference, exchange)``, A and AAAA the address, CNAME and PTR a name."""

    name: str
    type: str
    value: object

    @property
    def text(self) -> str:
        """The value as a zone file's data column writes it (TXT strings joined)."""
        if self.type == "TXT":
            return b"".join(self.value).decode("utf-8", "replace")  # type: ignore[arg-type]
        if self.type == "MX":
            preference, exchange = self.value  # type: ignore[misc]
            return f"{preference} {exchange}"
        return str(self.value)

    def __str__(self) -> str:
        return f"{self.name} {self.type} {self.text}"


def normalise_name(name: str | bytes) -> str:
    """``name`` lower case, without the trailing dot, non-ASCII labels in their ACE form."""
    if isinstance(name, bytes):
        name = name.decode("ascii", "replace")
    if not isinstance(name, str):
        raise InvalidArgument(f"A DNS name must be text, got {type(name).__name__} {name!r}.")
    text = name.strip().rstrip(".").lower()
    if not text:
        raise InvalidArgument("A DNS name cannot be empty.")
    if not text.isascii():
        try:
            text = text.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidArgument(f"{name!r} is not a valid DNS name.") from None
    if len(text) > 253 or any(not label or len(label) > 63 for label in text.split(".")):
        raise InvalidArgument(f"{name!r} is not a valid DNS name: labels of 1 to 63 characters, 253 in all.")
    return text


def _txt(value: object) -> tuple[bytes, ...]:
    if isinstance(value, (str, bytes)):
        data = value.encode("utf-8") if isinstance(value, str) else value
        return tuple(data[i : i + TXT_STRING_MAX] for i in range(0, len(data), TXT_STRING_MAX)) or (b"",)
    if isinstance(value, Sequence) and value and all(isinstance(part, (str, bytes)) for part in value):
        parts = tuple(part.encode("utf-8") if isinstance(part, str) else part for part in value)
        if any(len(part) > TXT_STRING_MAX for part in parts):
            raise InvalidArgument(
                "A TXT character-string holds at most 255 octets: give the value as one text to have it split."
            )
        return parts
    raise InvalidArgument(f"A TXT value must be a text or a list of texts, got {value!r}.")


def _mx(value: object) -> tuple[int, str]:
    if isinstance(value, str):
        words = value.split()
        if len(words) == 1:
            return 10, normalise_name(words[0])
        if len(words) == 2 and words[0].isdigit():
            return int(words[0]), normalise_name(words[1])
    elif isinstance(value, Sequence) and len(value) == 2 and isinstance(value[0], int):
        return value[0], normalise_name(str(value[1]))
    raise InvalidArgument(f"An MX value is 'preference exchange', such as '10 mx.example.com', got {value!r}.")


def _address(value: object, version: int, type_: str) -> str:
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        address = None
    if address is None or address.version != version:
        raise InvalidArgument(f"An {type_} value must be an IPv{version} address, got {value!r}.")
    return str(address)


def _value(type_: str, value: object) -> object:
    if type_ == "TXT":
        return _txt(value)
    if type_ in ("A", "AAAA"):
        return _address(value, 4 if type_ == "A" else 6, type_)
    if type_ == "MX":
        return _mx(value)
    return normalise_name(str(value))  # CNAME, PTR


def _type(type_: object) -> str:
    word = str(type_).strip().upper()
    if word not in RECORD_TYPES:
        raise InvalidArgument(f"DNS record type {type_!r} is not supported: use one of {', '.join(RECORD_TYPES)}.")
    return word


def _key(name: str | bytes, type_: str) -> str:
    # A PTR may be given for its address: 192.0.2.1 stands for 1.2.0.192.in-addr.arpa.
    if type_ == "PTR" and isinstance(name, str):
        try:
            return ipaddress.ip_address(name.strip()).reverse_pointer
        except ValueError:
            pass
    return normalise_name(name)


class TestDNS:
    """Records by name and type: one thread may publish while another looks up."""

    __test__ = False  # a class of the library, not a pytest test class

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, dict[str, list[object]]] = {}

    def add(self, name: str, type: str, value: object) -> Record:
        """Publish a record; another value of the same name and type goes beside the first.

        A CNAME stands alone at its name (RFC 1034 3.6.2): a CNAME next to other
        records, or another record next to a CNAME, is refused."""
        type_ = _type(type)
        key = _key(name, type_)
        data = _value(type_, value)
        with self._lock:
            types = self._records.get(key, {})
            others = [other for other in types if other != type_]
            if others and "CNAME" in (type_, *others):
                raise InvalidArgument(f"{key} cannot have a CNAME and other records (RFC 1034 3.6.2).")
            values = types.get(type_, [])
            if type_ == "CNAME" and values and data not in values:
                raise InvalidArgument(f"{key} already has a CNAME, to {values[0]}.")
            if data not in values:
                self._records.setdefault(key, {}).setdefault(type_, []).append(data)
        return Record(key, type_, data)

    def remove(self, name: str, type: str | None = None) -> None:
        """Remove every record at ``name``, or only those of ``type``."""
        type_ = None if type is None else _type(type)
        key = _key(name, type_ or "")
        with self._lock:
            types = self._records.get(key)
            if types is None:
                return
            if type_ is None:
                types.clear()
            else:
                types.pop(type_, None)
            if not types:
                del self._records[key]

    def discard(self, record: Record) -> None:
        """Remove this one record (as :meth:`add` returned it), if it is still published."""
        with self._lock:
            types = self._records.get(record.name, {})
            values = types.get(record.type, [])
            if record.value in values:
                values.remove(record.value)
                if not values:
                    del types[record.type]
                if not types:
                    self._records.pop(record.name, None)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def lookup(self, name: str | bytes, type: str) -> tuple:
        """The values of ``type`` at ``name``; ``()`` when the name has records of other types only.

        Raises :class:`NameNotFound` (NXDOMAIN) when the name has no record at all."""
        key = normalise_name(name)
        with self._lock:
            types = self._records.get(key)
            if not types:
                raise NameNotFound(key)
            return tuple(types.get(type.upper(), ()))

    def records(self) -> list[Record]:
        """Every record, by name then type, to show what a test published."""
        with self._lock:
            return [
                Record(name, type_, value)
                for name in sorted(self._records)
                for type_ in sorted(self._records[name])
                for value in self._records[name][type_]
            ]

    def __len__(self) -> int:
        with self._lock:
            return sum(len(values) for types in self._records.values() for values in types.values())

    def __repr__(self) -> str:
        return f"<TestDNS of {len(self)} records>"
