Feature: The help desk turns mail into tickets
  The help desk reads the support mailbox over IMAP; every recipient logs in
  with its address as password, so the scenario needs no set-up for that.

  Scenario: A customer's mail becomes a ticket and is marked read
    Given an IMAP server is running
    And a message with subject "Printer on fire" is delivered to "support@helpdesk.test"
    When the help desk checks the mailbox of "support@helpdesk.test"
    Then there should be a ticket about "Printer on fire"
    And the message to "support@helpdesk.test" should be marked as read
