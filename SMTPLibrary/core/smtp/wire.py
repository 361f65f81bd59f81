"""Facts of the SMTP wire format that more than one part of the server reads bytes by."""

from __future__ import annotations

END_OF_DATA = b"\r\n.\r\n"


def end_started(tail: bytes) -> int:
    """How many bytes of the end-of-data line ``tail`` (the last bytes read) ends with:
    the end of data may begin in bytes already read."""
    for started in range(len(END_OF_DATA) - 1, 0, -1):
        if tail.endswith(END_OF_DATA[:started]):
            return started
    return 0


def find_end(tail: bytes, chunk: bytes) -> int:
    """Where the end of data ends in ``chunk``, the bytes read after ``tail`` (the last few read
    before it), as an index of ``chunk`` (counted from its start, so at most 5); -1: not in it."""
    started = end_started(tail)
    if started and chunk.startswith(END_OF_DATA[started:]):
        return len(END_OF_DATA) - started
    found = chunk.find(END_OF_DATA)
    return found if found < 0 else found + len(END_OF_DATA)
