"""Keywords for the shapes of misbehaviour that per-stage replies cannot express: rate limits, chaos, stalls."""

from __future__ import annotations

from datetime import timedelta

from robot.api import logger
from robot.api.deco import keyword

from .context import LibraryContext


class MisbehaviourKeywords(LibraryContext):
    @keyword("Set SMTP Rate Limit")
    def set_smtp_rate_limit(
        self,
        messages: int,
        per: timedelta,
        code: int = 421,
        text: str | None = None,
        scope: str = "connection",
    ) -> None:
        """Makes the current server refuse ``MAIL`` once ``messages`` were accepted within ``per``.

        A provider's rate limit.

        ``per`` is a `time format` such as ``1 minute`` or ``10 s``: the window
        slides, so once the oldest accepted message in it is ``per`` old, there
        is room for one more. A message counts when its ``MAIL FROM`` is
        accepted; a refused one does not.

        ``code`` is the reply: ``421`` (the default) also closes the connection,
        ``450`` or ``451`` keep it open, 5xx refuses for good. ``text`` defaults
        to ``4.7.0 Too many messages, try again later`` (with ``, closing
        connection`` for 421), as providers word it.

        ``scope`` says whose messages share a window: ``connection`` (each
        connection its own: with 421, a client that reconnects starts afresh),
        ``sender`` (each envelope sender) or ``server`` (every message).

        The transcript notes each refusal with the limit and when there is room
        again, and `SMTP Client Should Have Retried` counts them as it counts
        other refusals. `Clear SMTP Faults` removes the limit; several limits
        (a sender's and the server's, say) apply together.

        | Set SMTP Rate Limit | 2  | 1 minute |
        | Set SMTP Rate Limit | 10 | 1 minute | code=450 | scope=server |
        | Set SMTP Rate Limit | 1  | 10 s     | 451 | 4.7.1 Slow down | sender |
        """
        limit = self.server().faults.rate_limit(messages, per.total_seconds(), code, text, scope)
        logger.info(f"Fault rule added: {limit}, refusing with {limit.reply.status}.")

    @keyword("Set SMTP Chaos")
    def set_smtp_chaos(
        self,
        probability: float,
        codes: int | list[int] | str = 451,
        stages: list[str] | str = "RCPT",
        seed: int | None = None,
    ) -> int:
        """Makes the current server fail commands at random, reproducibly, and returns the seed.

        Each command at ``stages`` fails with ``probability``.

        ``probability`` is a number from 0 to 1 (``0.2``: one command in five).
        ``codes`` is the reply code, or several (``451, 452``), one picked at
        random for each failure; ``stages`` one stage of the `Fault injection`
        table or several (``RCPT, DATA_END``).

        The failures are drawn from a random generator of their own, seeded
        with ``seed``. Without one a seed is chosen at random, logged and
        returned: give it as ``seed`` to replay a failing run exactly. The
        same seed gives the same failures for the same commands in the same
        order: one client sending one message after the other replays exactly.

        Explicit rules (`Set SMTP Reply`, `Set SMTP Disconnect`) fire first;
        chaos fails only commands they let through. The transcript notes each
        failure with the seed. `Clear SMTP Faults` removes it.

        | Set SMTP Chaos | 0.2 | seed=42 |
        | Set SMTP Chaos | 0.05 | codes=451, 452 | stages=RCPT, DATA_END | seed=7 |
        | ${seed} =      | Set SMTP Chaos | 0.1 | 421 | MAIL |
        """
        chaos = self.server().faults.chaos(probability, codes, stages, seed)
        logger.info(f"Fault rule added: {chaos}. Give seed={chaos.seed} to replay this run.")
        return chaos.seed

    @keyword("Set SMTP Stall")
    def set_smtp_stall(
        self,
        after_bytes: int,
        duration: timedelta | None = None,
        then: str = "disconnect",
        count: int = 1,
    ) -> None:
        """Makes the current server stop reading inside DATA, once ``after_bytes`` of the message have arrived.

        The server stops reading for ``duration`` (a `time format`), then
        drops the connection (``then=disconnect``, the default) or reads on
        (``then=continue``) and the message completes normally. Without
        ``duration`` it stalls until the client gives up (at most the
        server's idle timeout of 5 minutes). ``after_bytes`` counts the bytes
        the client sends after the ``354`` reply; ``0`` stalls at once. A
        message shorter than that does not stall (the transcript says so) and
        leaves the stall for the next.

        Nothing of an interrupted message is stored: neither when the server
        drops it, nor when the client gives up first, even with
        ``then=continue``. The client sees its own timeout, or the connection
        reset. The transcript notes the stall and how it ended.

        ``count`` is how many messages stall (1 by default; ``0``: every one
        until `Clear SMTP Faults`).

        | Set SMTP Stall | 1000 |
        | Set SMTP Stall | 1000 | 2 s | then=continue |
        | Set SMTP Stall | 0    | 500 ms | count=0 |
        """
        seconds = None if duration is None else duration.total_seconds()
        stall = self.server().faults.stall(after_bytes, seconds, then, count)
        logger.info(f"Fault rule added: {stall}.")
