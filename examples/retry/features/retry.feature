Feature: Order confirmations survive temporary mail failures
  The shop tries again when the mail server refuses for now, and gives up
  at once when it refuses for good.

  Scenario: Greylisted twice, delivered the third time
    Given an SMTP server is running
    And the SMTP server replies 451 to the next 2 RCPT commands for "alice@example.com"
    When the order 42 of "alice@example.com" is confirmed
    Then a message to "alice@example.com" should be received
    And 1 message should be received
    And the client should have retried 2 times

  Scenario: A message refused for good is not sent again
    Given an SMTP server is running
    And the SMTP server replies 550 to the next message
    When the order 43 of "bob@example.com" is confirmed, which fails
    Then 0 messages should be received
    And the client should have retried 0 times

  Scenario: A dropped connection is retried and the confirmation arrives once
    Given an SMTP server is running
    And the SMTP server drops the connection at DATA_END
    When the order 44 of "carol@example.com" is confirmed
    Then 1 message should be received
    And the client should have retried 1 time

  Scenario: Rate-limited, the confirmations go out later and each arrives once
    Given an SMTP server is running
    And the SMTP server accepts at most 2 messages per second
    When the orders 50 to 54 of "alice@example.com" are confirmed, one after the other
    Then 5 messages should be received
    And each order should have been confirmed once
    And the client should have retried once for each refusal
