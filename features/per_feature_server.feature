@smtp.per_feature
Feature: One server for the whole feature
  A feature tagged @smtp.per_feature starts its server once, in the Background
  of its first scenario; every later scenario finds the same server running,
  with an empty mailbox. The scenarios depend on each other on purpose.

  Background:
    Given an SMTP server is running

  Scenario: The first scenario leaves mail behind
    When a message is sent from "app@example.com" to "alice@example.com" with subject "Left behind"
    Then 1 message should be received
    And the server is remembered

  Scenario: The next scenario finds the same server, emptied
    Then the server should be the one remembered
    And the mailbox should hold 0 messages
    When a message is sent from "app@example.com" to "bob@example.com" with subject "Second"
    Then 1 message should be received

  Scenario: The mailbox is emptied before every scenario
    Then the server should be the one remembered
    And 0 messages should be received
