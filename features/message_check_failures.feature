Feature: A failing message check fails the scenario, saying why
  These scenarios run behave on features that must fail: the check steps fail
  with the text of the Robot keywords, and fail when the mail never arrives.

  Scenario: A signature broken after signing fails DKIM, naming the reason
    Given a steps module "signing.py" with
      """
      import smtplib
      from pathlib import Path

      import dkim
      from behave import when

      SOURCE = (b"From: billing@example.com\r\nTo: alice@example.com\r\nSubject: Invoice\r\n"
                b"Date: Mon, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nTotal: 42 EUR\r\n")

      @when("the application sends a message it changed after signing")
      def step_send(context):
          key = context.smtp_dkim_key
          signed = dkim.sign(SOURCE, b"test", b"example.com", Path(key.private_key_path).read_bytes()) + SOURCE
          with smtplib.SMTP("127.0.0.1", context.smtp_port, local_hostname="mail.example.com") as client:
              client.sendmail("billing@example.com", ["alice@example.com"], signed.replace(b"42", b"24"))
      """
    And a feature file "broken.feature" with
      """
      Feature: Broken signature
        Scenario: The template changed the body after signing
          Given an SMTP server is running
          And a DKIM key for "example.com"
          When the application sends a message it changed after signing
          Then a message to "alice@example.com" should be received
          And the message should pass "dkim, spf"
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      Message #1 did not authenticate as expected (dkim=pass, spf=pass):
      dkim=fail (body hash did not verify) for d=example.com s=test
      spf=none (no SPF record at example.com) for mailfrom billing@example.com from 127.0.0.1
      """
    And the output should contain
      """
      server threads left: []
      """

  Scenario: A message with errors is not well formed
    Given a steps module "careless.py" with
      """
      import smtplib

      from behave import when

      @when("a careless application sends a message")
      def step_send(context):
          source = b"From: app@example.com\r\nTo: alice@example.com\r\nSubject: Hello\r\n\r\nHello Alice\r\n"
          with smtplib.SMTP("127.0.0.1", context.smtp_port) as client:
              client.sendmail("app@example.com", ["alice@example.com"], source)
      """
    And a feature file "malformed.feature" with
      """
      Feature: Malformed
        Scenario: No Date, no Message-ID
          Given an SMTP server is running
          When a careless application sends a message
          Then a message to "alice@example.com" should be received
          And the message should be well formed
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      Message #1 is not well formed: 2 errors.
      error header.date.count (Date): there is no Date field; RFC 5322 requires one
      error header.message-id.missing (Message-ID): there is no Message-ID field
      """

  Scenario: A check step fails when the mail never arrives
    Given a feature file "missing.feature" with
      """
      Feature: Missing mail
        Scenario: Nothing to check
          Given an SMTP server is running
          And the test DNS has a "TXT" record for "example.com" with "v=spf1 -all"
          Then a message to "alice@example.com" should be received
          And the message should pass "spf"
          And the message should be well formed
      """
    When behave runs the features with "-D smtp_timeout=0.2"
    Then it should fail
    And the output should contain
      """
      No message matching recipient='EQUALS:alice@example.com' arrived in 200 milliseconds. No message arrived.
      """

  Scenario: Wrong arguments name themselves
    Given a feature file "wrong.feature" with
      """
      Feature: Wrong arguments
        Scenario: A check that does not exist
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "alice@example.com" with subject "Hello"
          Then a message to "alice@example.com" should be received
          And the message should pass "dkim, spam"

        Scenario: A record type that does not exist
          Given the test DNS has a "SRV" record for "example.com" with "0 5 25 mx.example.com"
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      The checks to pass are among dkim, spf, dmarc, arc, separated by commas, got 'dkim, spam'.
      """
    And the output should contain
      """
      DNS record type 'SRV' is not supported: use one of A, AAAA, CNAME, MX, PTR, TXT.
      """

  Scenario: A client that does not check the certificate fails the scenario
    Given a steps module "careless_tls.py" with
      """
      import smtplib
      import ssl

      from behave import when

      @when("an application that does not check certificates sends a message")
      def step_send(context):
          with smtplib.SMTP("127.0.0.1", context.smtp_port, local_hostname="app.test") as client:
              client.starttls(context=ssl._create_unverified_context())
              client.sendmail("app@example.com", ["alice@example.com"], b"Subject: Hi\r\n\r\nHi\r\n")
      """
    And a feature file "careless.feature" with
      """
      Feature: Careless TLS
        Scenario: The certificate is not checked
          Given an SMTP server is running with STARTTLS and a "untrusted" certificate
          When an application that does not check certificates sends a message
          Then the client should have rejected the server certificate
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      The client accepted the untrusted certificate of the SMTP server on 127.0.0.1:
      """
    And the output should contain
      """
      and sent a message: a security bug in the application under test, which does not check whom it talks to.
      """

  Scenario: The certificate step fails when no client came
    Given a feature file "nobody.feature" with
      """
      Feature: Nobody
        Scenario: No client
          Given an SMTP server is running with implicit TLS and a "expired" certificate
          Then the client should have rejected the server certificate
      """
    When behave runs the features with "-D smtp_timeout=0.2"
    Then it should fail
    And the output should contain
      """
      No client rejected the expired certificate of the SMTP server on 127.0.0.1:
      """
    And the output should contain
      """
      in 200 milliseconds: no client connected.
      """
