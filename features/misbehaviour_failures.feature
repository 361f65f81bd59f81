Feature: The misbehaviour steps fail clearly, and mail they keep away fails the scenario

  Scenario: Mail refused by a rate limit never arrives, and the scenario fails saying so
    Given a feature file "limited.feature" with
      """
      Feature: Rate limited
        Scenario: Two messages, one allowed
          Given an SMTP server is running
          And the SMTP server accepts at most 1 messages per 10 seconds
          When a message is sent from "app@example.com" to "bob@example.com" with subject "First"
          Then 2 messages should be received
      """
    When behave runs the features with "-D smtp_timeout=0.2"
    Then it should fail
    And the output should contain
      """
      Expected 2 messages but 1 arrived in 200 milliseconds.
      """

  Scenario: Wrong values fail the step naming what is allowed
    Given a feature file "wrong.feature" with
      """
      Feature: Wrong values
        Scenario: extension
          Given an SMTP server is running
          And the SMTP server does not offer "CHUNKING"

        Scenario: period
          Given an SMTP server is running
          And the SMTP server accepts at most 2 messages per fortnight

        Scenario: percent
          Given an SMTP server is running
          And the SMTP server fails 120% of "RCPT" commands with seed 1

        Scenario: stage
          Given an SMTP server is running
          And the SMTP server fails 20% of "HELLO" commands with seed 1

        Scenario: no server
          Given the SMTP server stalls after 10 bytes of data
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      Cannot hide 'CHUNKING': hide_extensions takes PIPELINING, SIZE, 8BITMIME, SMTPUTF8, STARTTLS, AUTH, AUTH=LOGIN, AUTH=PLAIN (what this server can offer).
      """
    And the output should contain
      """
      The period must be a duration such as '1 minute', '10 s' or '500 ms', got 'fortnight'.
      """
    And the output should contain
      """
      The share of failing commands must be from 0% to 100%, got 120%.
      """
    And the output should contain
      """
      Unknown SMTP stage 'HELLO': expected one of CONNECT, EHLO, MAIL, RCPT, DATA, DATA_END, AUTH, STARTTLS.
      """
    And the output should contain
      """
      No SMTP server is running in this scenario: add the step "Given an SMTP server is running".
      """
    And the output should contain
      """
      0 scenarios passed, 5 failed, 0 skipped
      """
