Feature: Steps that assert on received mail
  "matching" takes a regular expression; every other quoted value is literal.

  Background:
    Given an SMTP server is running
    And a message is sent from "shop@example.com" to "alice+orders@example.com" with subject "Order (#42) shipped"

  Scenario: A message matching a regular expression
    Then a message should be received matching "Subject: Order \(#\d+\) shipped"

  Scenario: A subject is matched literally and as a whole
    Then a message with subject "Order (#42) shipped" should be received

  Scenario: A recipient is matched literally and as a whole
    Then a message to "alice+orders@example.com" should be received

  Scenario: No message matching
    Then no message should be received matching "Subject: Password reset"

  Scenario: Counting messages
    Then 1 message should be received
    When a message is sent from "shop@example.com" to "bob@example.com" with subject "Second"
    Then 2 messages should be received
    And the mailbox should hold 2 messages

  Scenario: The body of the message found last
    When a message is sent from "shop@example.com" to "bob@example.com" with subject "For Bob"
    Then a message to "bob@example.com" should be received
    And the message body should contain "bob@example.com"
