Feature: Steps that make the server refuse, wait or drop, and count the client's retries
  Rules set by these steps are cleared when the scenario ends.

  Background:
    Given an SMTP server is running

  Scenario: The next RCPT commands for one recipient are refused
    Given the SMTP server replies 451 to the next 2 RCPT commands for "bob@example.com"
    When an application tries 3 times to send a message to "bob@example.com"
    Then the application should have got "451, 451, 250"
    And 1 message should be received
    And the client should have retried 2 times

  Scenario: Other recipients are not refused
    Given the SMTP server replies 550 to the next 1 RCPT commands for "bob@example.com"
    When an application tries 3 times to send a message to "alice@example.com"
    Then the application should have got "250"
    And the client should have retried 0 times

  Scenario: The next message is refused after its body, and not stored
    Given the SMTP server replies 554 to the next message
    When an application tries 1 times to send a message to "bob@example.com"
    Then the application should have got "554"
    And 0 messages should be received
    When an application tries 1 times to send a message to "bob@example.com"
    Then 1 message should be received
    And the client should have retried 1 time

  Scenario: The server waits before replying to DATA
    Given the SMTP server waits 0.2 seconds before replying to DATA
    When an application tries 1 times to send a message to "bob@example.com"
    Then 1 message should be received
    And the transcript should show "fault at DATA: wait 0.2 s"

  Scenario Outline: The server drops the connection at <stage>
    Given the SMTP server drops the connection at <stage>
    When an application tries 2 times to send a message to "bob@example.com"
    Then the application should have got "disconnected, 250"
    And 1 message should be received
    And the client should have retried 1 time

    Examples:
      | stage    |
      | CONNECT  |
      | EHLO     |
      | MAIL     |
      | RCPT     |
      | DATA     |
      | DATA_END |
      | data end |
