"""Keywords that check a message: its authentication over a test DNS, and its problems."""

from __future__ import annotations

from robot.api import logger
from robot.api.deco import keyword

from ..core import ReceivedMessage, checks
from ..core.report import render
from .content import as_message
from .context import LibraryContext


class CheckKeywords(LibraryContext):
    @keyword("Add Test DNS Record")
    def add_test_dns_record(self, name: str, type: str, value: str | list[str]) -> None:
        """Publishes a record in the test DNS that the `message checks` read, and nothing else.

        ``type`` is ``TXT``, ``A``, ``AAAA``, ``MX``, ``CNAME`` or ``PTR`` (any case).
        ``value`` is written as in a zone file: ``10 mx.example.com`` for MX,
        an address for A and AAAA. A TXT value longer than 255 characters is
        split into strings as a real zone splits it; a list gives the strings
        yourself. A second value at the same name and type goes beside the first.
        A name with no record at all is NXDOMAIN. A PTR record may be given by its
        address (``192.0.2.1``). The record lives as long as the test or suite
        that added it (see `Isolation`).

        | Add Test DNS Record | example.com        | TXT | v=spf1 ip4:127.0.0.1 -all |
        | Add Test DNS Record | _dmarc.example.com | TXT | v=DMARC1; p=reject |
        | Add Test DNS Record | example.com        | MX  | 10 mx.example.com |
        """
        checks.require_extra()
        record = self.servers.dns.add(name, type, value, self.servers.owner)
        logger.info(f"Test DNS: {record}")

    @keyword("Clear Test DNS Records")
    def clear_test_dns_records(self) -> None:
        """Removes every record from the test DNS, keys of `Create DKIM Key` included.

        Records a test adds are removed when it ends anyway (see `Isolation`):
        this is for the Remote interface, which does not see tests, and for a
        test that starts its DNS afresh halfway.

        | Clear Test DNS Records |
        """
        self.servers.dns.clear()

    @keyword("Create DKIM Key")
    def create_dkim_key(self, domain: str, selector: str = "test", algorithm: str = "rsa-sha256") -> checks.DKIMKey:
        """Makes a DKIM key pair, publishes its public key in the test DNS and returns the key.

        The public key is published at ``selector._domainkey.domain``, in place of
        any key published there before. ``algorithm`` is ``rsa-sha256`` (2048
        bits) or ``ed25519-sha256``. Configure the application under test to
        sign with the key; its attributes:

        | = Attribute = | = Content = |
        | private_key | The private key, PEM text (PKCS#8). |
        | private_key_path | A file holding ``private_key``, readable by its owner only, removed at the end. |
        | private_key_base64 | For ed25519: the raw 32-byte key in base64, the form dkimpy signs with. Empty for RSA. |
        | domain, selector, algorithm | As given, domain and selector lower case. |
        | dns_name | Where the key is published: ``selector._domainkey.domain``. |
        | dns_record | The TXT value published: ``v=DKIM1; k=rsa; p=...``. |

        | ${key} =    | Create DKIM Key | example.com |
        | Set Environment Variable | DKIM_KEY_FILE | ${key.private_key_path} |
        | ${ed} =     | Create DKIM Key | example.com | selector=ed | algorithm=ed25519-sha256 |
        """
        key = checks.create_dkim_key(domain, selector, algorithm)
        self.servers.dns.publish_key(key, self.servers.owner)
        logger.info(
            f"DKIM key {key.algorithm} in {key.private_key_path}, published: {key.dns_name} TXT {key.dns_record}"
        )
        return key

    @keyword("Get Message Authentication")
    def get_message_authentication(self, message: ReceivedMessage) -> checks.Authentication:
        """Returns the DKIM, SPF, DMARC and ARC results of ``message``, as a receiving server would find them.

        Every record is looked up in the test DNS (see `Add Test DNS Record`),
        never on the network. Each result is one of RFC 8601's words: ``pass``,
        ``fail``, ``none``, ``neutral``, ``softfail``, ``temperror``, ``permerror``.
        What each check means is in `Message checks`. The results:

        - ``dkim``: every DKIM-Signature in header order (empty without one),
          each with ``result``, ``reason``, ``domain``, ``selector``,
          ``algorithm``, ``canonicalization`` and ``identity``;
        - ``spf``: ``result``, ``reason``, ``domain``, ``identity`` (``mailfrom``,
          or ``helo`` for the null sender), ``sender``, ``ip`` and ``helo``;
        - ``dmarc``: ``result``, ``reason``, ``from_domain``, ``policy``,
          ``disposition``, ``dkim_aligned``, ``spf_aligned``, ``record_domain``
          and ``record``;
        - ``arc``: ``result`` (``pass``, ``fail`` or ``none``), ``reason`` and ``sets``;
        - ``header``: the ``Authentication-Results`` field a receiving server would add.

        The message's card in the log shows the results.

        | ${key} =              | Create DKIM Key     | example.com |
        | Add Test DNS Record   | example.com         | TXT | v=spf1 ip4:127.0.0.1 -all |
        | Add Test DNS Record   | _dmarc.example.com  | TXT | v=DMARC1; p=reject |
        | Start The Application | dkim_key_file=${key.private_key_path} |
        | ${msg} =              | Message Should Be Received Matching | subject=Invoice |
        | ${auth} =             | Get Message Authentication | ${msg} |
        | Should Be Equal       | ${auth.dkim[0].result} | pass |
        | Should Be Equal       | ${auth.spf.result}     | pass |
        | Should Be Equal       | ${auth.dmarc.result}   | pass |
        | Should Be Equal       | ${auth.arc.result}     | none |
        | Log                   | ${auth.header} |
        """
        received = as_message(message)
        authentication = checks.authenticate(received, self.servers.dns.dns)
        self._log_card(received, authentication=authentication)
        return authentication

    @keyword("Message Authentication Should Be")
    def message_authentication_should_be(
        self,
        message: ReceivedMessage,
        dkim: str | None = None,
        spf: str | None = None,
        dmarc: str | None = None,
        arc: str | None = None,
    ) -> checks.Authentication:
        """Fails unless each given check of ``message`` has the given result; returns the results.

        Results are RFC 8601's words (any case); a check not given is not checked.
        ``dkim`` is expected of every signature: ``dkim=pass`` fails when one
        signature does not pass or when there is none; ``dkim=none`` passes
        only without signature. The failure names each check that differs, its
        result and why. The results are those of `Get Message Authentication`.

        | ${key} =              | Create DKIM Key     | example.com |
        | Add Test DNS Record   | example.com         | TXT | v=spf1 ip4:127.0.0.1 -all |
        | Add Test DNS Record   | _dmarc.example.com  | TXT | v=DMARC1; p=reject |
        | Start The Application | dkim_key_file=${key.private_key_path} |
        | ${msg} =              | Message Should Be Received Matching | subject=Invoice |
        | Message Authentication Should Be | ${msg} | dkim=pass | spf=pass | dmarc=pass |
        | Message Authentication Should Be | ${msg} | arc=none |
        """
        received = as_message(message)
        expected = checks.expected_results(dkim, spf, dmarc, arc)
        authentication = checks.authenticate(received, self.servers.dns.dns)
        self._log_card(received, authentication=authentication)
        checks.check_authentication(received, authentication, expected)
        return authentication

    @keyword("Get Message Problems")
    def get_message_problems(self, message: ReceivedMessage, bulk: bool = False) -> list[checks.Problem]:
        """Returns the problems the standards and bulk-sender checks find in ``message``, errors first.

        Each problem has ``code`` (stable, listed in `Message checks`),
        ``severity`` (``error`` or ``warning``), ``where`` (a header name, a MIME
        part path such as ``1.2``, or ``line 42``) and ``text``. An empty list:
        no problem. ``bulk=True`` treats the message as bulk mail even without
        ``List-Id`` or ``Precedence: bulk``, so that one-click unsubscription is
        expected. The message's card in the log lists the problems.

        | Start The Application |
        | ${msg} =              | Message Should Be Received Matching | subject=Invoice |
        | ${problems} =         | Get Message Problems | ${msg} |
        | Should Be Empty       | ${problems} |
        | ${problems} =         | Get Message Problems | ${msg} | bulk=True |
        | Should Be Equal       | ${problems[0].code} | bulk.list-unsubscribe.missing |
        """
        received = as_message(message)
        found = checks.problems(received, bulk=bulk)
        self._log_card(received, problems=found)
        return found

    @keyword("Message Should Be Well Formed")
    def message_should_be_well_formed(
        self, message: ReceivedMessage, ignore: str | list[str] | None = None, bulk: bool = False
    ) -> list[checks.Problem]:
        """Fails, listing them one per line, when ``message`` has a problem of severity ``error``
        or a warning ``ignore`` does not name; returns every problem found.

        ``ignore`` names warnings: codes (see `Message checks`), or families such
        as ``html.*``, separated by commas or given as a list. An error cannot be
        ignored, and a code that does not exist fails naming the nearest ones.
        ``bulk`` is as in `Get Message Problems`.

        | Start The Application |
        | ${msg} =                      | Message Should Be Received Matching | subject=Invoice |
        | Message Should Be Well Formed | ${msg} |
        | Message Should Be Well Formed | ${msg} | ignore=html.*, content.html-only |
        | ${problems} =                 | Message Should Be Well Formed | ${msg} | bulk=True | ignore=bulk.* |
        """
        received = as_message(message)
        ignored = checks.ignored_warnings(ignore)
        found = checks.problems(received, bulk=bulk)
        self._log_card(received, problems=found)
        checks.check_well_formed(received, found, ignored)
        return found

    def _log_card(self, message: ReceivedMessage, **results: object) -> None:
        logger.info(render(message, self.save_for_log(message), **results), html=True)  # type: ignore[arg-type]
