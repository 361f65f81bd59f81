Feature: Message checks: is this mail right?
  The steps publish records in the scenario's test DNS, make a DKIM key for the
  application to sign with, and check the message found last: DKIM, SPF, DMARC
  and ARC (no DNS query ever leaves the process), and the standards rules.

  Background:
    Given an SMTP server is running
    And a DKIM key for "example.com"
    And the test DNS has a "TXT" record for "example.com" with "v=spf1 ip4:127.0.0.1 -all"
    And the test DNS has a "TXT" record for "_dmarc.example.com" with "v=DMARC1; p=reject"

  Scenario: Signed mail passes DKIM, SPF and DMARC and is well formed
    When the application sends "Invoice 42" signed with the DKIM key from "billing@example.com"
    Then a message with subject "Invoice 42" should be received
    And the message should pass "dkim, spf, dmarc"
    And the message should be well formed

  Scenario: A key at another selector, and one check at a time
    Given a DKIM key for "example.com" with selector "s2026"
    When the application sends "Invoice 43" signed with the DKIM key from "billing@example.com"
    Then a message with subject "Invoice 43" should be received
    And the message should pass "DKIM"
    And the message should pass "spf,dmarc"

  Scenario: The library's own sending step sends well-formed mail
    When a message is sent from "app@example.com" to "alice@example.com" with subject "Hello"
    Then a message to "alice@example.com" should be received
    And the message should be well formed

  Scenario: Well formed but for the warnings ignored
    When the following message is sent from "news@example.com" to "alice@example.com":
      """
      From: news@example.com
      To: alice@example.com
      Subject: Offers
      Date: Mon, 01 Dec 2026 10:00:00 +0000
      Message-ID: <offers-1@example.com>
      List-Id: News <news.example.com>
      MIME-Version: 1.0
      Content-Type: text/html; charset=utf-8

      <p>Offers</p>
      """
    Then a message with subject "Offers" should be received
    And the message should be well formed, ignoring "bulk.list-unsubscribe.missing, html.*, content.html-only"
