Feature: A failing step says what went wrong, as the Robot keyword does
  These scenarios run behave on features that must fail, and check that
  they did, with the same failure text as the Robot keywords.

  Scenario: Mail that never arrives fails the scenario
    Given a feature file "missing.feature" with
      """
      Feature: Missing mail
        Scenario: Welcome mail
          Given an SMTP server is running
          Then a message with subject "Welcome" should be received
      """
    When behave runs the features with "-D smtp_timeout=0.2"
    Then it should fail
    And the output should contain
      """
      No message matching subject='EQUALS:Welcome' arrived in 200 milliseconds. No message arrived.
      """
    And the output should contain
      """
      0 features passed, 1 failed
      """
    And the output should contain
      """
      server threads left: []
      """

  Scenario: The failure lists the nearest miss
    Given a feature file "nearest.feature" with
      """
      Feature: Wrong mail
        Scenario: Welcome mail to Alice
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Welcome Bob"
          Then a message to "alice@example.com" should be received
      """
    When behave runs the features with "-D smtp_timeout=0.1"
    Then it should fail
    And the output should contain
      """
      No message matching recipient='EQUALS:alice@example.com' arrived in 100 milliseconds. 1 message arrived, closest first:
      1) from app@example.com to bob@example.com, subject 'Welcome Bob': recipients ['bob@example.com'] was not 'alice@example.com'
      """

  Scenario: Every assertion step fails when its condition does not hold
    Given a feature file "each.feature" with
      """
      Feature: Each failing step
        Background:
          Given an SMTP server is running
          And a message is sent from "app@example.com" to "bob@example.com" with subject "Hello"

        Scenario: matching
          Then a message should be received matching "Subject: Bye"

        Scenario: not matching
          Then no message should be received matching "Subject: Hel+o"

        Scenario: count
          Then 2 messages should be received

        Scenario: one message
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Again"
          Then 1 message should be received

        Scenario: body
          Then a message to "bob@example.com" should be received
          And the message body should contain "Goodbye"

        Scenario: body before any message was found
          Then the message body should contain "Hello"
      """
    When behave runs the features with "-D smtp_timeout=0.1"
    Then it should fail
    And the output should contain
      """
      No message matching pattern='Subject: Bye' arrived in 100 milliseconds. 1 message arrived, closest first:
      """
    And the output should contain
      """
      A message matching pattern='Subject: Hel+o' arrived: from app@example.com to bob@example.com, subject 'Hello'.
      """
    And the output should contain
      """
      Expected 2 messages but 1 arrived in 100 milliseconds.
      """
    And the output should contain
      """
      Expected 1 message but 2 had already arrived.
      """
    And the output should contain
      """
      does not match: body 'Sent by SMTPLibrary to bob@example.com.' did not contain 'Goodbye'.
      """
    And the output should contain
      """
      No message has been found yet
      """
    And the output should contain
      """
      0 scenarios passed, 6 failed
      """

  Scenario: A server on a given port
    Given a feature file "port.feature" with
      """
      Feature: Fixed port
        Scenario: On the given port
          Given an SMTP server is running on port {free_port}
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Fixed"
          Then a message with subject "Fixed" should be received
      """
    When behave runs the features
    Then it should pass

  Scenario: A port in use fails the step clearly
    Given a feature file "busy.feature" with
      """
      Feature: Busy port
        Scenario: Port taken
          Given an SMTP server is running on port {free_port}
          And an SMTP server is running on port {free_port}
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      Cannot start an SMTP server on 127.0.0.1:{free_port}: the port is already in use.
      """
    And the output should contain
      """
      server threads left: []
      """

  Scenario: Steps without a server say which step is missing
    Given a feature file "noserver.feature" with
      """
      Feature: No server
        Scenario: Forgot the server
          Then 0 messages should be received
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      No SMTP server is running in this scenario: add the step "Given an SMTP server is running".
      """

  Scenario: Another step matcher in use is reported, not silently changed
    Given a steps module "smtp.py" with
      """
      from behave import use_step_matcher
      use_step_matcher("re")
      import SMTPLibrary.bdd.steps  # noqa: F401
      """
    And a feature file "any.feature" with
      """
      Feature: Any
        Scenario: Any
          Given an SMTP server is running
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      SMTPLibrary's steps need behave's 'parse' step matcher
      """

  Scenario: Fault steps fail clearly, and their rules end with the scenario
    Given a steps module "remember.py" with
      """
      from behave import given, then

      remembered = []


      @given("the server is remembered")
      def step_remember(context):
          remembered.append(context.smtp_server)


      @then("the remembered server has no fault rules left")
      def step_no_rules(context):
          assert remembered[0].faults.rules == [], remembered[0].faults.rules
      """
    And a feature file "faults.feature" with
      """
      Feature: Faults
        Scenario: A rule that never fires
          Given an SMTP server is running
          And the server is remembered
          And the SMTP server replies 451 to the next message

        Scenario: The rule is gone
          Then the remembered server has no fault rules left

        Scenario: Unknown stage
          Given an SMTP server is running
          And the SMTP server drops the connection at HELLO

        Scenario: Not a reply code
          Given an SMTP server is running
          And the SMTP server replies 999 to the next message

        Scenario: A code that makes no sense there
          Given an SMTP server is running
          And the SMTP server replies 220 to the next message

        Scenario: A negative delay
          Given an SMTP server is running
          And the SMTP server waits -1 seconds before replying to DATA

        Scenario: The library's sending step is refused
          Given an SMTP server is running
          And the SMTP server replies 451 to the next message
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Fails"

        Scenario: Not retried as often as expected
          Given an SMTP server is running
          Then the client should have retried 2 times

        Scenario: No server
          Given the SMTP server replies 451 to the next 1 RCPT commands for "bob@example.com"

        Scenario: The next 0 commands
          Given an SMTP server is running
          And the SMTP server replies 451 to the next 0 RCPT commands for "bob@example.com"
      """
    When behave runs the features with "-D smtp_timeout=0.1"
    Then it should fail
    And the output should contain
      """
      Unknown SMTP stage 'HELLO': expected one of CONNECT, EHLO, MAIL, RCPT, DATA, DATA_END, AUTH, STARTTLS.
      """
    And the output should contain
      """
      Reply code 999 is not an SMTP reply code: give 4xx to refuse for now
      """
    And the output should contain
      """
      Reply code 220 makes no sense at DATA_END: give 4xx to refuse for now (e.g. 451) or 5xx to refuse for good (e.g. 554). Success codes accepted at DATA_END: 250 (the usual success reply, with your text).
      """
    And the output should contain
      """
      The delay must be 0 seconds or more, got -1.0.
      """
    And the output should contain
      """
      SMTPDataError: (451, b'Requested action aborted: local error in processing')
      """
    And the output should contain
      """
      The client should have retried 2 times but made no attempt to send in 100 milliseconds.
      """
    And the output should contain
      """
      No SMTP server is running in this scenario: add the step "Given an SMTP server is running".
      """
    And the output should contain
      """
      The number of RCPT commands must be 1 or more, got 0.
      """
    And the output should contain
      """
      2 scenarios passed, 7 failed, 1 error
      """

  Scenario: A later scenario of a per-feature server cannot ask for another server
    Given a feature file "per_feature.feature" with
      """
      @smtp.per_feature
      Feature: Shared server
        Scenario: Plain
          Given an SMTP server is running

        Scenario: With STARTTLS
          Given an SMTP server is running with STARTTLS

        Scenario: With a login
          Given an SMTP server is running that requires login as "alice" with password "s3cret"

        Scenario: Plain again
          Given an SMTP server is running
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      The SMTP server of this feature (@smtp.per_feature) on 127.0.0.1:
      """
    And the output should contain
      """
      has tls='none', but this scenario asks for tls='starttls'. The scenarios of the feature share one server: start it the same way in each (in the Background), or remove the tag.
      """
    And the output should contain
      """
      has tls='none', credentials=None, auth_required=False, but this scenario asks for tls='starttls', credentials='********', auth_required=True.
      """
    And the output should contain
      """
      2 scenarios passed, 2 failed, 0 skipped
      """

  Scenario: A step that cannot set up shows the message, not a traceback
    Given a feature file "setup.feature" with
      """
      Feature: Set-up mistakes
        Scenario: No server
          Then 1 message should be received

        Scenario: A port in use
          Given an SMTP server is running on port {free_port}
          And an SMTP server is running on port {free_port}

        Scenario: A port out of range
          Given an SMTP server is running on port 70000
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      ASSERT FAILED: No SMTP server is running in this scenario: add the step "Given an SMTP server is running".
      """
    And the output should contain
      """
      ASSERT FAILED: Cannot start an SMTP server on 127.0.0.1:{free_port}: the port is already in use.
      """
    And the output should contain
      """
      ASSERT FAILED: port must be a number from 0 (a free port) to 65535, got 70000.
      """
    And the output should not contain "Traceback"
    And the output should contain
      """
      0 scenarios passed, 3 failed, 0 skipped
      """
    And the output should contain
      """
      server threads left: []
      """

  Scenario: The matching steps read a pattern as the keywords read it
    Given a feature file "matching.feature" with
      """
      Feature: Patterns
        Scenario: As written, as a regular expression, with a prefix
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "malice@example.com" with subject "Order #42 (paid)"
          Then a message should be received matching "Subject: Order #42 (paid)"
          And a message should be received matching "Subject: Order #\d+ \(paid\)"
          And a message should be received matching "CONTAINS:#42 (paid)"
          And no message should be received matching "alice@example.com"
          And a message should be received matching "alice@"

        Scenario: Not a valid regular expression
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Order 42 (paid)"
          Then a message should be received matching "Order (43"
      """
    When behave runs the features with "-D smtp_timeout=0.1"
    Then it should fail
    And the output should contain
      """
      pattern='Order (43' is not a valid regular expression (missing ), unterminated subpattern at position 6), so it was looked for as written only: to compare as written, write pattern=CONTAINS:Order (43 or pattern=EQUALS:Order (43; to search with a regular expression, correct it.
      """

  Scenario: A wrong smtp_timeout names the userdata and what it takes
    Given a feature file "timeout.feature" with
      """
      Feature: Timeout
        Scenario: Wait
          Given an SMTP server is running
          Then 0 messages should be received
      """
    When behave runs the features with "-D smtp_timeout=soon"
    Then it should fail
    And the output should contain
      """
      userdata smtp_timeout must be a time, 0 or more, such as -D smtp_timeout=2.5 or -D smtp_timeout=500ms; got 'soon'.
      """
    When behave runs the features with "-D smtp_timeout=-1"
    Then it should fail
    And the output should contain
      """
      userdata smtp_timeout must be a time, 0 or more, such as -D smtp_timeout=2.5 or -D smtp_timeout=500ms; got '-1'.
      """
    When behave runs the features with "-D smtp_timeout=500ms"
    Then it should pass
