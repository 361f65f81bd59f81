Feature: The IMAP and POP3 view of the mail
  Applications that read mail reach the scenario's mailbox over IMAP or POP3,
  and the steps see what they did to it.

  Scenario: A delivered message is read and filed over IMAP
    Given an IMAP server is running
    And a message with subject "Printer on fire" is delivered to "support@example.com"
    When an application reads the mail of "support@example.com" over IMAP
    Then the message to "support@example.com" should be marked as read
    When an application files the mail of "support@example.com" into "Tickets" over IMAP
    Then the message to "support@example.com" should be in folder "Tickets"

  Scenario: Captured mail is read over POP3
    Given an SMTP server is running
    And a POP3 server is running
    When a message is sent from "app@example.com" to "bob@example.com" with subject "Invoice"
    And an application reads the mail of "bob@example.com" over POP3
    Then the message to "bob@example.com" should be marked as read

  Scenario: A message nobody reads, and mail that never arrives, fail the scenario
    Given a feature file "unread.feature" with
      """
      Feature: Unread mail
        Scenario: Nobody reads it
          Given an IMAP server is running
          And a message with subject "Hello" is delivered to "bob@example.com"
          Then the message to "bob@example.com" should be marked as read

        Scenario: Nothing arrives
          Given an IMAP server is running
          Then the message to "carol@example.com" should be in folder "Done"
      """
    When behave runs the features with "-D smtp_timeout=0.2"
    Then it should fail
    And the output should contain
      """
      Message #1 'Hello' to bob@example.com did not get \Seen in 200 milliseconds: it is in INBOX with no flags.
      """
    And the output should contain
      """
      No message matching recipient='EQUALS:carol@example.com' arrived in 200 milliseconds. No message arrived.
      """
    And the output should contain
      """
      0 features passed, 1 failed
      """
