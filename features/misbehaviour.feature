@smtp.per_feature
Feature: Steps that hide extensions, limit the rate, fail at random and stall inside DATA
  What these steps set is undone when the scenario ends: the scenarios of this
  feature share one server, and each finds it as it was started.

  Background:
    Given an SMTP server is running

  Scenario: A server without PIPELINING and SMTPUTF8 still takes the mail
    Given the SMTP server does not offer "PIPELINING, SMTPUTF8"
    Then the server should not offer "PIPELINING"
    And the server should not offer "SMTPUTF8"
    And the server should offer "8BITMIME"
    When an application sends 1 messages to "bob@example.com", one after the other
    Then the application should have got "250"
    And 1 message should be received

  Scenario: The next scenario finds the extensions offered again
    Then the server should offer "PIPELINING"
    And the server should offer "SMTPUTF8"

  Scenario: A rate limit refuses the message after the limit, and the retry is counted
    Given the SMTP server accepts at most 2 messages per minute
    When an application sends 3 messages to "bob@example.com", one after the other
    Then the application should have got "250, 250, 421"
    And 2 messages should be received
    And the client should have retried 2 times
    And the transcript should show "rate limit of 2 messages in 60 seconds for the whole server reached: reply 421"

  Scenario: Chaos with a seed fails the same commands every run
    Given the SMTP server fails 50% of "RCPT" commands with seed 42
    When an application sends 10 messages to "bob@example.com", one after the other
    Then the application should have got "250, 451, 451, 451, 250, 250, 250, 451, 451, 451"
    And 4 messages should be received

  Scenario: A stall inside DATA: the client gives up, nothing is stored
    Given the SMTP server stalls after 100 bytes of data
    When an application sends a message to "bob@example.com" with a 0.5 second timeout
    Then the application should have got "timed out"
    And 0 messages should be received
    And the transcript should show "fault at DATA: stall after 100 bytes of message data, until the client gives up"

  Scenario: Rules are gone in the next scenario
    When an application sends 3 messages to "bob@example.com", one after the other
    Then the application should have got "250, 250, 250"
