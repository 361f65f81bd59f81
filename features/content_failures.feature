Feature: The content steps fail saying what the message has instead
  These scenarios run behave on features that must fail (see failures.feature).

  Scenario: Every content step fails when its condition does not hold
    Given a steps module "invoice.py" with
      """
      from behave import when
      from SMTPLibrary.core.smtp import client

      INVOICE = (
          b"From: app@example.com\r\nTo: bob@example.com\r\nSubject: Invoice\r\nMIME-Version: 1.0\r\n"
          b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
          b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
          b'<p>Pay at <a href="https://pay.example.com/i/42?x=1&amp;y=2">the portal</a>.</p>\r\n'
          b'--b\r\nContent-Type: application/pdf; name="=?utf-8?q?R=C3=A9sum=C3=A9.pdf?="\r\n'
          b"Content-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\n--b--\r\n"
      )


      @when("the invoice is sent")
      def step_send_invoice(context):
          client.send("127.0.0.1", context.smtp_port, "app@example.com", ["bob@example.com"], INVOICE)
      """
    And a feature file "content.feature" with
      """
      Feature: Each failing content step
        Background:
          Given an SMTP server is running
          When the invoice is sent
          Then a message with subject "Invoice" should be received

        Scenario: link
          Then the message should contain a link matching "/reset\?token="

        Scenario: attachment
          Then the message should have an attachment named "Resume.pdf"

        Scenario: HTML
          Then the message HTML should contain "Dear Bob"

        Scenario: no HTML
          When a message is sent from "app@example.com" to "carol@example.com" with subject "Plain"
          Then a message to "carol@example.com" should be received
          And the message HTML should contain "anything"
      """
    And a feature file "nomessage.feature" with
      """
      Feature: Before any message was found
        Scenario: no message yet
          Given an SMTP server is running
          Then the message should have an attachment named "invoice.pdf"
      """
    When behave runs the features with "-D smtp_timeout=0.1"
    Then it should fail
    And the output should contain
      """
      Message #1 has no link matching '/reset\\?token='. Its links: 'https://pay.example.com/i/42?x=1&y=2'.
      """
    And the output should contain
      """
      Message #1 has no attachment named 'Resume.pdf'. Its attachments: 'Résumé.pdf'.
      """
    And the output should contain
      """
      Message #1 does not match: HTML '<p>Pay at <a href="https://pay.example.com/i/42?x=1&amp;y...' did not contain 'Dear Bob'.
      """
    And the output should contain
      """
      Message #2 has no text/html part; its parts: text/plain.
      """
    And the output should contain
      """
      No message has been found yet
      """
    And the output should contain
      """
      0 scenarios passed, 5 failed
      """

  Scenario: The card of the message is attached to the report, on success and on failure
    Given a feature file "cards.feature" with
      """
      Feature: Cards
        Scenario: Found, then missed
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Welcome Bob"
          Then a message with subject "Welcome Bob" should be received
          And a message with subject "Welcome Alice" should be received
      """
    When behave runs the features with "-D smtp_timeout=0.1 -o - --format json -o report.json"
    Then it should fail
    And the JSON report "report.json" should attach to step "a message with subject "Welcome Bob" should be received" the card of the message with subject "Welcome Bob"
    And the JSON report "report.json" should attach to step "a message with subject "Welcome Alice" should be received" the card of the message with subject "Welcome Bob"
