Feature: Mail kept on disk with -D smtp_maildir, -D smtp_mbox and -D smtp_latest
  Every scenario's server also writes its mail to the Maildir, mbox or
  latest file named on the command line; resetting the mailbox empties it.

  Scenario: Every scenario's mail lands in one Maildir
    Given a feature file "kept.feature" with
      """
      Feature: Kept mail
        Scenario: First
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "alice@example.com" with subject "First"
          Then 1 message should be received

        Scenario: Second
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Second"
          Then 1 message should be received
      """
    When behave runs the features with "-D smtp_maildir=mail"
    Then it should pass
    And the Maildir "mail" should hold messages with subjects "First, Second"

  Scenario: A bounded mailbox keeps the newest in memory and every message in the Maildir
    Given a steps module "bounded.py" with
      """
      from behave import given

      from SMTPLibrary.bdd.fixtures import use_smtp_server


      @given("an SMTP server keeping {count:d} message is running")
      def step_bounded_server(context, count):
          use_smtp_server(context, max_messages=count)
      """
    And a feature file "bounded.feature" with
      """
      Feature: Bounded
        Scenario: Two messages, one kept in memory
          Given an SMTP server keeping 1 message is running
          When a message is sent from "app@example.com" to "alice@example.com" with subject "First"
          And a message is sent from "app@example.com" to "alice@example.com" with subject "Second"
          Then a message with subject "Second" should be received
          And 1 message should be received
      """
    When behave runs the features with "-D smtp_maildir=mail"
    Then it should pass
    And the Maildir "mail" should hold messages with subjects "First, Second"

  Scenario: Resetting the mailbox empties the Maildir
    Given a feature file "reset.feature" with
      """
      Feature: Reset
        Scenario: Reset
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "alice@example.com" with subject "Gone"
          Then 1 message should be received
          When the mailbox is reset
          And a message is sent from "app@example.com" to "alice@example.com" with subject "Kept"
          Then 1 message should be received
      """
    When behave runs the features with "-D smtp_maildir=mail"
    Then it should pass
    And the Maildir "mail" should hold messages with subjects "Kept"

  Scenario: An mbox file and a latest file
    Given a feature file "files.feature" with
      """
      Feature: Files
        Scenario: Two messages
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "alice@example.com" with subject "First"
          And a message is sent from "app@example.com" to "alice@example.com" with subject "Second"
          Then 2 messages should be received
      """
    When behave runs the features with "-D smtp_mbox=mail.mbox -D smtp_latest=latest.eml"
    Then it should pass
    And the mbox "mail.mbox" should hold messages with subjects "First, Second"
    And the file "latest.eml" should contain "Subject: Second"

  Scenario: A Maildir path that cannot be used fails the scenario, saying why
    Given a feature file "bad.feature" with
      """
      Feature: Bad path
        Scenario: Maildir on a file
          Given an SMTP server is running
      """
    When behave runs the features with "-D smtp_maildir=features/bad.feature"
    Then it should fail
    And the output should contain
      """
      for the Maildir: it is not a directory.
      """
