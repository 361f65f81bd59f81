"""The benchmark runner: measures everything, prints the table, writes docs/performance.md.

``python -m bench`` (what ``make bench`` runs); ``--quick`` runs every piece
with tiny counts, to check that the runner works, not to measure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import before, checks, imap, latency, matching, memory, robot_overhead, startstop, throughput
from .machine import describe
from .servers import BareAiosmtpd, Library, SmtpSink, loops
from .stats import median, percentile, spread
from .tools import find_postfix

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
KB = 1024


@dataclass
class Counts:
    repeats: int = 5
    throughput: dict = field(
        default_factory=lambda: {(1, 1 * KB): 2000, (8, 1 * KB): 4000, (1, 100 * KB): 400, (8, 100 * KB): 600}
    )
    latency_rounds: int = 500
    start_stop: int = 100
    matching: tuple = (1_000, 10_000, 100_000)
    stored_messages: int = 10_000
    stored_size: int = 10 * KB
    big_message: int = 25 * 1000 * 1000
    robot_tests: int = 200
    robot_repeats: int = 5
    imap_messages: int = 1000
    check_runs: int = 50
    # Messages of the two servers whose instructions are subtracted (None: not counted; ~9 s per server).
    instructions: tuple[int, int] | None = (20, 220)


QUICK = Counts(
    repeats=1,
    throughput={(1, 1 * KB): 10, (8, 1 * KB): 10, (8, 100 * KB): 10},
    latency_rounds=5,
    start_stop=2,
    matching=(100, 300),
    stored_messages=20,
    stored_size=10 * KB,
    big_message=1000 * 1000,
    robot_tests=3,
    robot_repeats=1,
    imap_messages=10,
    check_runs=3,
    instructions=None,
)


@dataclass
class Row:
    section: str
    figure: str
    value: str
    reference: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio_text(self) -> str:
        return "" if self.ratio is None else f"{self.ratio:.2f}x"

    @property
    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: ""}[self.met]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def size_text(size: int) -> str:
    return f"{size // KB} KB" if size < 1000 * 1000 else f"{size / 1e6:.0f} MB"


def section_throughput(counts: Counts, rows: list[Row], log) -> None:
    postfix = find_postfix()
    driver = throughput.Driver(postfix)
    targets = ([SmtpSink(postfix)] if postfix else []) + [
        cls(loop) for loop in loops() for cls in (BareAiosmtpd, Library)
    ]
    section = f"1. Throughput (messages/s, one connection per message, driven by {driver.name})"
    for (sessions, size), count in counts.throughput.items():
        rates: dict[str, list[float]] = {target.label: [] for target in targets}
        for _ in range(counts.repeats):
            # Round-robin: a neighbour's burst of load hits every server alike.
            for target in targets:
                rates[target.label].append(throughput.run(target, driver, sessions, size, count))
        log(f"throughput {sessions} session(s) {size_text(size)}: "
            + ", ".join(f"{label} {median(values):.0f}/s" for label, values in rates.items()))  # fmt: skip
        where = f"{size_text(size)}, {sessions} session{'s' if sessions > 1 else ''}, {count} messages"
        sink = rates.get(SmtpSink.label)
        if sink:
            rows.append(Row(section, f"{where}: postfix smtp-sink (C)", f"{median(sink):.0f}/s ({spread(sink)})"))
        for loop in loops():
            bare, ours = rates[f"bare aiosmtpd ({loop})"], rates[f"SMTPLibrary ({loop})"]
            bare_text = f"bare aiosmtpd ({loop}) {median(bare):.0f}/s ({spread(bare)})"
            ratio = median(ours) / median(bare)
            rows.append(Row(section, f"{where}: SMTPLibrary ({loop})", f"{median(ours):.0f}/s ({spread(ours)})",
                            bare_text, ratio, ">= 1.0x", ratio >= 1.0))  # fmt: skip
            if sink:
                rows.append(Row(section, f"{where}: bare aiosmtpd ({loop})", bare_text.split(") ", 1)[1],
                                "postfix smtp-sink (C)", median(bare) / median(sink)))  # fmt: skip
            if loop == "uvloop":
                asyncio_bare = rates["bare aiosmtpd (asyncio)"]
                ratio = median(ours) / median(asyncio_bare)
                rows.append(Row(section, f"{where}: SMTPLibrary (uvloop) vs asyncio", f"{median(ours):.0f}/s",
                                f"bare aiosmtpd (asyncio) {median(asyncio_bare):.0f}/s", ratio, ">= 1.3x",
                                ratio >= 1.3))  # fmt: skip


def section_latency(counts: Counts, rows: list[Row], log) -> None:
    section = "2. Wake-up latency (sender has the final 250 -> the waiting call returns)"
    for loop in loops():
        measured = {
            "bare": latency.bare(loop, counts.latency_rounds),
            "keyword": latency.keyword(loop, counts.latency_rounds),
            "core": latency.core(loop, counts.latency_rounds),
        }
        bare99 = percentile(measured["bare"], 0.99)
        bare_text = (f"bare aiosmtpd + threading.Condition: p50 {ms(percentile(measured['bare'], 0.5))}, "
                     f"p99 {ms(bare99)}")  # fmt: skip
        for kind, label in (("keyword", "Message Should Be Received Matching"), ("core", "Mailbox.wait_for")):
            values = measured[kind]
            p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
            log(f"latency {loop} {kind}: p50 {ms(p50)} p99 {ms(p99)} (bare p99 {ms(bare99)})")
            # No ratio: the reference is about zero (it can even be negative, see bench/latency.py).
            rows.append(Row(section, f"{label} ({loop}), {len(values)} rounds", f"p50 {ms(p50)}, p99 {ms(p99)}",
                            bare_text, None, "p99 <= 5 ms", p99 <= 0.005))  # fmt: skip


def section_start_stop(counts: Counts, rows: list[Row], log) -> None:
    section = "3. Start+stop (one server started and stopped, median)"
    n = counts.start_stop
    for loop in loops():
        bare = startstop.bare(loop, n)
        ours = startstop.library(loop, n)
        ratio = median(ours) / median(bare)
        log(f"start+stop {loop}: {ms(median(ours))} vs bare {ms(median(bare))}")
        rows.append(Row(section, f"plain ({loop}), {n} cycles", f"{ms(median(ours))} ({spread(ours)})",
                        f"bare aiosmtpd Controller {ms(median(bare))}", ratio, "<= 2x", ratio <= 2.0))  # fmt: skip
    support = startstop.tls_support()
    loop = loops()[-1]
    if support is None:
        for figure in ("STARTTLS, certificate cached", "STARTTLS, certificate not cached"):
            rows.append(Row(section, figure, startstop.TLS_MISSING, target="<= 50 ms" if "not" not in figure else ""))
        return
    clear_cache, factory = support
    with startstop.tls_temporary_dir() as directory:
        bare = startstop.bare(loop, n, cert=startstop.make_certificate(Path(directory)))
    bare_text = f"bare aiosmtpd with tls_context from PEM files {ms(median(bare))}"
    cached = startstop.library(loop, n, factory)
    uncached = startstop.library(loop, max(2, n // 4), factory, before=clear_cache)
    log(f"TLS start+stop: cached {ms(median(cached))}, not cached {ms(median(uncached))}, bare {ms(median(bare))}")
    rows.append(Row(section, f"STARTTLS ({loop}), certificate cached", f"{ms(median(cached))} ({spread(cached)})",
                    bare_text, median(cached) / median(bare), "<= 50 ms", median(cached) <= 0.050))  # fmt: skip
    rows.append(Row(section, f"STARTTLS ({loop}), certificate not cached",
                    f"{ms(median(uncached))} ({spread(uncached)})", bare_text,
                    median(uncached) / median(bare)))  # fmt: skip


def section_matching(counts: Counts, rows: list[Row], log) -> None:
    section = "4. Matching (Get Messages with one criterion over the whole mailbox, first search)"
    per_message: dict[str, float] = {}
    for count in counts.matching:
        for kind in ("sender", "subject", "body"):
            # A fresh mailbox each time: the first search is the one a test makes, and
            # nothing cached by an earlier search may flatter it.
            mailbox = matching.fill(count)
            took = matching.measure(mailbox, count, kind, 1)[0]
            del mailbox
            floor = median(matching.floor(count, kind, 5))
            cost = took / count
            first = per_message.setdefault(kind, cost)
            growth = f"; per-message cost {cost / first:.2f}x that at {counts.matching[0]:,}"
            target, met = "", None
            if kind in ("sender", "subject") and count == 10_000:
                target, met = "<= 20 ms", took <= 0.020
            log(f"matching {kind} over {count}: {ms(took)} (floor {ms(floor)})")
            rows.append(Row(section, f"{kind} over {count:,} messages", ms(took) + growth,
                            f"list comprehension over extracted strings {ms(floor)}", took / floor,
                            target, met))  # fmt: skip


def section_memory(counts: Counts, rows: list[Row], log) -> None:
    section = "5. Memory (measured in a child process)"
    loop = loops()[-1]
    postfix = find_postfix()
    driver = throughput.Driver(postfix)
    child = memory.Child("library", loop)
    try:
        driver.send(child.port, 1, 5, counts.stored_size)  # warm up: imports, first connections
        before = int(child.ask("rss"))
        driver.send(child.port, 8, counts.stored_messages, counts.stored_size)
        after = int(child.ask("rss"))
        stored = int(child.ask("count")) - 5
        raw_per_message = int(child.ask("raw")) // (stored + 5)
    finally:
        child.close()
    if stored != counts.stored_messages:
        raise AssertionError(f"memory: {stored} messages stored, {counts.stored_messages} sent")
    per_message = (after - before) / stored
    ratio = per_message / raw_per_message
    log(f"memory per message: {per_message:.0f} bytes for {raw_per_message} raw")
    where = f"{stored:,} x {size_text(counts.stored_size)}, {loop}"
    rows.append(Row(section, f"resident memory per stored message ({where})",
                    f"{per_message:,.0f} bytes", f"raw message {raw_per_message:,} bytes", ratio, "<= 1.5x",
                    ratio <= 1.5))  # fmt: skip
    peaks = {}
    for server in ("aiosmtpd", "library"):
        child = memory.Child(server, loop)
        try:
            driver_send_builtin(child.port, 1000)  # warm up: imports, first connection
            before = int(child.ask("rss"))
            driver_send_builtin(child.port, counts.big_message)
            peaks[server] = int(child.ask("peak")) - before
        finally:
            child.close()
    size = len(throughput.message(counts.big_message, throughput.SUBJECT))
    ratio = peaks["library"] / size
    log(f"peak for one {size_text(size)} message: library {peaks['library'] / size:.2f}x, "
        f"aiosmtpd {peaks['aiosmtpd'] / size:.2f}x")  # fmt: skip
    rows.append(Row(section, f"peak while receiving one {size_text(size)} message ({loop})",
                    f"+{peaks['library'] / 1e6:.1f} MB = {ratio:.2f}x the message",
                    f"bare aiosmtpd (do-nothing handler) +{peaks['aiosmtpd'] / 1e6:.1f} MB = "
                    f"{peaks['aiosmtpd'] / size:.2f}x", peaks["library"] / peaks["aiosmtpd"], "<= 3x the message",
                    ratio <= 3.0))  # fmt: skip


def section_robot(counts: Counts, rows: list[Row], log) -> None:
    section = "6. Robot Framework run (each test: start a server, send, assert, stop)"
    walls: dict[str, list[float]] = {"bare": [], "library": []}
    for _ in range(counts.robot_repeats):
        for kind in walls:
            walls[kind].append(robot_overhead.run(kind, counts.robot_tests))
    ratio = median(walls["library"]) / median(walls["bare"])
    log(f"robot: library {median(walls['library']):.2f} s, bare {median(walls['bare']):.2f} s")
    rows.append(Row(section, f"{counts.robot_tests} tests, wall time of the whole robot run",
                    f"{median(walls['library']):.2f} s ({spread(walls['library'])})",
                    f"bare aiosmtpd library {median(walls['bare']):.2f} s ({spread(walls['bare'])})", ratio,
                    "<= 1.2x", ratio <= 1.2))  # fmt: skip


def section_imap(counts: Counts, rows: list[Row], log) -> None:
    section = "7. IMAP view (Python 3.11+, the imap extra; asyncio)"
    from SMTPLibrary.core.imap import missing_imap

    reason = missing_imap()
    if reason is not None:
        rows.append(Row(section, "IMAP view", f"n/a: {reason}"))
        return
    n, count, size = counts.start_stop, counts.imap_messages, 2 * KB
    with_imap, alone = [], []
    for _ in range(counts.repeats):  # taking turns: a neighbour's load hits both alike
        alone += imap.start_stop(n, imap=False)
        with_imap += imap.start_stop(n, imap=True)
    ratio = median(with_imap) / median(alone)
    log(f"start+stop SMTP+IMAP {ms(median(with_imap))} vs SMTP alone {ms(median(alone))}")
    rows.append(Row(section, f"start+stop of SMTP + IMAP, {len(with_imap)} cycles",
                    f"{ms(median(with_imap))} ({spread(with_imap)})",
                    f"SMTP alone {ms(median(alone))} ({spread(alone)})", ratio))  # fmt: skip
    plain = [imap.send_burst(count, size, imap=False) for _ in range(counts.repeats)]
    filed = [imap.send_burst(count, size, imap=True) for _ in range(counts.repeats)]
    log(f"{count} messages in one session: {median(filed):.3f} s filed, {median(plain):.3f} s not")
    rows.append(Row(section, f"{count:,} messages of {size_text(size)} in one SMTP session, filed into the view",
                    f"{median(filed) * 1000:.0f} ms ({spread(filed)})",
                    f"no view attached {median(plain) * 1000:.0f} ms", median(filed) / median(plain),
                    note="filing is synchronous: in the INBOX before the 250"))  # fmt: skip
    fetched = [imap.fetch_all(count, size) for _ in range(counts.repeats)]
    log(f"imaplib FETCH of {count}: {median(fetched):.3f} s")
    rows.append(Row(section, f"imaplib: LOGIN, SELECT, FETCH 1:* (BODY.PEEK[]) of {count:,} captured messages",
                    f"{median(fetched) * 1000:.0f} ms ({spread(fetched)})"))  # fmt: skip


def section_checks(counts: Counts, rows: list[Row], log) -> None:
    measured = checks.measure(counts.check_runs)
    size = measured["size"][0]
    section = f"8. Message checks (one {size / 1000:.0f} KB message in 5 MIME parts, median of {counts.check_runs})"
    figures = [
        ("Get Message Authentication (keyword, with its card)", "keyword authentication", "dkimpy"),
        ("checks.authenticate (the core call)", "core authentication", "dkimpy"),
        ("Get Message Problems (keyword, with its card)", "keyword problems", "parse"),
        ("checks.problems (the core call)", "core problems", "parse"),
    ]
    references = {
        "dkimpy": "dkimpy verifying the 2 signatures alone",
        "parse": "email.message_from_bytes, one parse",
    }
    for figure, key, reference in figures:
        first, samples = measured[key]
        floor = checks.median(measured[reference][1])
        log(f"checks: {figure}: {ms(checks.median(samples))} (first {ms(first)}), {references[reference]} {ms(floor)}")
        rows.append(Row(section, figure, f"{ms(checks.median(samples))} (first call {ms(first)})",
                        f"{references[reference]} {ms(floor)}", checks.median(samples) / floor))  # fmt: skip
    cold = checks.first_calls()
    log(f"checks: first in a fresh process: authenticate {ms(cold['authenticate'])}, problems {ms(cold['problems'])}")
    fresh = f"checks.authenticate {ms(cold['authenticate'])}, checks.problems {ms(cold['problems'])}"
    rows.append(Row(section, "first checks of a fresh process (pyspf and the Public Suffix List loaded then)", fresh))


def section_before(counts: Counts, rows: list[Row], log, reference: str = before.REFERENCE) -> None:
    section = f"9. No faults set: as fast as before (this tree against SMTPLibrary at {reference})"
    loop = loops()[-1]
    tree = before.checkout(reference)
    if tree is None:
        rows.append(Row(section, "throughput", f"not measured: commit {reference} is not in this clone"))
        return
    driver = throughput.Driver(find_postfix())
    now = before.ChildLibrary(loop, None, f"SMTPLibrary, this tree ({loop})")
    then = before.ChildLibrary(loop, tree, f"SMTPLibrary at {reference} ({loop})")
    try:
        for (sessions, size), count in counts.throughput.items():
            if size > 1 * KB:
                continue  # the fault checks are per command and per read: small messages show them most
            rates: dict[str, list[float]] = {now.label: [], then.label: []}
            for repeat in range(counts.repeats):
                # Each goes first in turn: whatever the first run of a round pays, both pay it.
                for target in (now, then) if repeat % 2 else (then, now):
                    rates[target.label].append(throughput.run(target, driver, sessions, size, count))
            ours, reference_rates = rates[now.label], rates[then.label]
            ratio = median(ours) / median(reference_rates)
            log(f"before/after {sessions} session(s): now {median(ours):.0f}/s, then {median(reference_rates):.0f}/s")
            where = f"{size_text(size)}, {sessions} session{'s' if sessions > 1 else ''}, {count} messages"
            rows.append(Row(section, f"{where}: {now.label}", f"{median(ours):.0f}/s ({spread(ours)})",
                            f"{then.label} {median(reference_rates):.0f}/s ({spread(reference_rates)})", ratio,
                            ">= 0.9x (within noise)", ratio >= 0.9))  # fmt: skip
        figure = "instructions per message (valgrind callgrind, 1 KB, one connection each)"
        if counts.instructions is None:
            rows.append(Row(section, figure, "not counted with --quick"))
        else:
            ours = before.instructions(None, loop, *counts.instructions)
            theirs = before.instructions(tree, loop, *counts.instructions)
            if ours is None or theirs is None:
                rows.append(Row(section, figure, "not counted: valgrind is not installed"))
            else:
                log(f"instructions per message: now {ours:,.0f}, then {theirs:,.0f}")
                rows.append(Row(section, f"{figure}: this tree", f"{ours:,.0f}", f"at {reference}: {theirs:,.0f}",
                                ours / theirs, "<= 1.02x", ours / theirs <= 1.02))  # fmt: skip
    finally:
        before.remove(tree)


SECTIONS = {
    "throughput": section_throughput,
    "latency": section_latency,
    "startstop": section_start_stop,
    "matching": section_matching,
    "memory": section_memory,
    "robot": section_robot,
    "imap": section_imap,
    "checks": section_checks,
    "before": section_before,
}


def table(rows: list[Row]) -> str:
    lines = []
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines += ["", f"### {section}", "", "| Figure | Measured | Reference | Ratio | Target | |",
                      "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        lines.append(f"| {row.figure} | {row.value} | {row.reference} | {row.ratio_text} | {row.target} | "
                     f"{row.verdict} |")  # fmt: skip
    return "\n".join(lines).strip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny counts: checks the runner, measures nothing")
    parser.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated: " + ", ".join(SECTIONS))
    parser.add_argument("--output", type=Path, help=f"where to write the table (default: {DOC.relative_to(ROOT)}, "
                                                    "not written with --quick)")  # fmt: skip
    parser.add_argument("--repeats", type=int, help="repetitions of each throughput measurement")
    args = parser.parse_args(argv)
    counts = QUICK if args.quick else Counts()
    if args.repeats:
        counts.repeats = args.repeats
    chosen = [name.strip() for name in args.sections.split(",") if name.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f} s] {text}", flush=True)

    began = time.perf_counter()
    machine = describe()
    log("machine: " + "; ".join(f"{key} {value}" for key, value in machine.items()))
    rows: list[Row] = []
    for name in chosen:
        SECTIONS[name](counts, rows, log)
    machine["load average (1, 5, 15 min) at the end"] = ", ".join(f"{load:.2f}" for load in os.getloadavg())
    machine["benchmark wall time"] = f"{time.perf_counter() - began:.0f} s"
    text = table(rows)
    print()
    print(text)
    output = args.output or (None if args.quick else DOC)
    missed = [f"{row.section.split(' (')[0]}: {row.figure}: {row.value} ({row.ratio_text or 'target'} {row.target})"
              for row in rows if row.met is False]  # fmt: skip
    if output:
        output.write_text(document(machine, text, missed))
        log(f"written to {output}")
    return 0


def document(machine: dict, table_text: str, missed: list[str]) -> str:
    from .doc import render

    return render(machine, table_text, missed)


def driver_send_builtin(port: int, size: int) -> None:
    import asyncio

    from .client import send_all

    asyncio.run(send_all(port, 1, 1, size, throughput.SUBJECT))


if __name__ == "__main__":
    sys.exit(main())
