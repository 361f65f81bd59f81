"""Which addresses a TCP port listens on, as the kernel says (``/proc/net/tcp`` and ``tcp6``).
Also a Robot library (``Listening Addresses``)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

LISTEN = "0A"


def _address(hex_address: str) -> str:
    # The kernel prints each 32-bit word of the address in host (little-endian) byte order.
    raw = bytes.fromhex(hex_address)
    packed = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(packed))


def listening_addresses(port: int | str) -> list[str]:
    """The addresses with a socket listening on ``port`` (``0.0.0.0`` or ``::``: every interface)."""
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == LISTEN and int(hex_port, 16) == int(port):
                found.add(_address(address))
    return sorted(found)
