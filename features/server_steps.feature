Feature: Steps that start a server, send and reset
  Each scenario gets its own SMTP server on a free port; the steps of
  SMTPLibrary.bdd.steps drive it exactly as a project's features would.

  Scenario: A server on a free port, its port in context.smtp_port
    Given an SMTP server is running
    When an application sends a message with subject "Hello" to context.smtp_port
    Then a message with subject "Hello" should be received

  Scenario: Each scenario starts with an empty mailbox of its own
    Given an SMTP server is running
    Then 0 messages should be received

  Scenario: Sending a composed message
    Given an SMTP server is running
    When a message is sent from "app@example.com" to "alice@example.com" with subject "Welcome Alice"
    Then a message to "alice@example.com" should be received
    And the last found message should have subject "Welcome Alice"

  Scenario: Sending a message given as its whole source
    Given an SMTP server is running
    When the following message is sent from "app@example.com" to "bob@example.com":
      """
      From: Shop <app@example.com>
      To: bob@example.com
      Subject: Your order (#42)

      Thanks for your order, Bob.
      """
    Then a message with subject "Your order (#42)" should be received
    And the message body should contain "Thanks for your order"

  Scenario: Resetting the mailbox
    Given an SMTP server is running
    When a message is sent from "app@example.com" to "alice@example.com" with subject "One"
    And the mailbox is reset
    Then the mailbox should hold 0 messages

  Scenario: The mailbox is empty
    Given an SMTP server is running
    And the mailbox is empty
    Then 0 messages should be received
