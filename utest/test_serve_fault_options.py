"""The misbehaviour options of `smtplibrary serve`: how each is written, and the usage error when it is not."""

import pytest

from SMTPLibrary.cli import build_parser
from SMTPLibrary.cli.misbehaviour import ChaosOption, FaultOption, RateLimitOption, StallOption, apply
from SMTPLibrary.core import InvalidArgument, SMTPServer


def parse(*arguments):
    return build_parser().parse_args(["serve", *arguments])


def test_each_option_is_parsed_into_its_parts():
    options = parse(
        "--fault", "RCPT:451:2", "--fault", "mail:421",
        "--rate-limit", "10/1m", "--rate-limit", "2/10s:450:sender",
        "--chaos", "0.2:451:RCPT", "--chaos", "0.1", "--seed", "42",
        "--stall", "1000:2:continue",
        "--hide-extensions", "PIPELINING,SIZE", "SMTPUTF8", "--tls", "starttls", "--tls-min-version", "TLSv1.3",
    )  # fmt: skip
    assert options.fault == [FaultOption("RCPT", 451, 2), FaultOption("mail", 421, 1)]
    assert options.rate_limit == [RateLimitOption(10, "1m", 421, "server"), RateLimitOption(2, "10s", 450, "sender")]
    assert options.chaos == [ChaosOption("0.2", "451", "RCPT"), ChaosOption("0.1", "451", "RCPT")]
    assert (options.seed, options.stall) == (42, StallOption(1000, 2.0, "continue"))
    assert options.hide_extensions == ["PIPELINING,SIZE", "SMTPUTF8"]
    assert options.tls_min_version == "TLSv1.3"
    assert parse("--stall", "500").stall == StallOption(500, None, "disconnect")
    assert parse("--stall", "500:forever").stall == StallOption(500, None, "disconnect")
    assert parse("--stall", "500:2s").stall == StallOption(500, 2.0, "disconnect")  # times as the core reads them
    assert parse("--stall", "500:250 ms").stall == StallOption(500, 0.25, "disconnect")


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (
            ["--fault", "RCPT"],
            "argument --fault: invalid fault 'RCPT': expected STAGE:CODE[:COUNT], such as RCPT:451:2",
        ),
        (["--fault", "RCPT:soon"], "argument --fault: invalid code 'soon' in 'RCPT:soon'"),
        (["--rate-limit", "10"], "argument --rate-limit: invalid rate limit '10': expected N/PERIOD[:CODE[:SCOPE]]"),
        (["--rate-limit", "ten/1m"], "argument --rate-limit: invalid number of messages 'ten' in 'ten/1m'"),
        (["--chaos", ""], "argument --chaos: invalid chaos '': expected PROBABILITY[:CODES[:STAGES]]"),
        (["--seed", "-4"], "argument --seed: invalid seed '-4': expected a whole number, 0 or more"),
        (["--stall", "1000:soon"], "argument --stall: invalid seconds 'soon' in '1000:soon'"),
        (["--tls-max-version", "TLSv1.0"], "argument --tls-max-version: invalid choice: 'TLSv1.0'"),
    ],
)
def test_a_malformed_option_is_a_usage_error(capsys, arguments, error):
    with pytest.raises(SystemExit) as exit_:
        parse(*arguments)
    assert exit_.value.code == 2
    assert error in capsys.readouterr().err


def test_apply_sets_every_rule_and_says_so():
    server = SMTPServer()
    lines = apply(server, parse("--fault", "DATA_END:554:0", "--chaos", "0.5:452:MAIL,RCPT", "--seed", "7"))
    assert lines == [
        "Fault: reply 554 'Transaction failed' at DATA_END, until cleared.",
        "Fault: chaos failing 50% of MAIL, RCPT commands with 452, seed 7.",
    ]
    assert server.faults.chaos_rules[0].seed == 7


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (["--seed", "3"], "--seed seeds --chaos: give --chaos too."),
        (["--fault", "HELLO:451"], "Unknown SMTP stage 'HELLO': expected one of CONNECT, EHLO, MAIL, RCPT, DATA, "),
        (["--chaos", "2"], "probability must be a number from 0 to 1"),
        (["--stall", "10:1:wait"], "then must be one of disconnect, continue, got 'wait'."),
    ],
)
def test_apply_refuses_values_the_core_refuses(arguments, error):
    with pytest.raises(InvalidArgument) as failure:
        apply(SMTPServer(), parse(*arguments))
    assert str(failure.value).startswith(error)
