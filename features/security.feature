Feature: TLS, login, size and international mail, with real clients
  The steps of SMTPLibrary.bdd.steps start servers with STARTTLS, implicit TLS
  or a required login; smtplib, swaks and curl, which this project did not
  write, send to them and verify the server's certificate against its CA file.

  Scenario Outline: STARTTLS with <client>
    Given an SMTP server is running with STARTTLS
    When <client> sends "Hello over STARTTLS" over STARTTLS
    Then a message with subject "Hello over STARTTLS" should be received
    And the message should have been sent over TLS

    Examples:
      | client  |
      | smtplib |
      | swaks   |
      | curl    |

  Scenario Outline: Implicit TLS with <client>
    Given an SMTP server is running with implicit TLS
    When <client> sends "Hello over implicit TLS" over implicit TLS
    Then a message with subject "Hello over implicit TLS" should be received
    And the message should have been sent over TLS

    Examples:
      | client  |
      | smtplib |
      | swaks   |
      | curl    |

  Scenario Outline: Login with <client>
    Given an SMTP server is running that requires login as "alice" with password "s3:cret"
    When <client> sends "Logged in" over STARTTLS logged in as "alice" with password "s3:cret"
    Then a message with subject "Logged in" should be received
    And the message should have been sent by user "alice"
    And the message should have been sent over TLS

    Examples:
      | client  |
      | smtplib |
      | swaks   |
      | curl    |

  Scenario Outline: <client> gets 530 without login and 535 with a wrong password
    Given an SMTP server is running that requires login as "alice" with password "s3:cret"
    When <client> tries to send over STARTTLS
    Then it should have been refused with "530 5.7.0 Authentication required"
    When <client> tries to send over STARTTLS logged in as "alice" with password "wrong"
    Then it should have been refused with "535 5.7.8 Authentication credentials invalid"
    And 0 messages should be received

    Examples:
      | client  |
      | smtplib |
      | swaks   |
      | curl    |

  Scenario Outline: <client> gets 552 for a message larger than the limit
    Given an SMTP server is running with a size limit of 1000 bytes
    When <client> tries to send a message of 2000 bytes
    Then it should have been refused with "<reply>"
    And 0 messages should be received

    Examples: smtplib and curl announce the size, swaks does not
      | client  | reply                                                     |
      | smtplib | 552 Error: message size exceeds fixed maximum message size |
      | swaks   | 552 Error: Too much mail data                             |
      | curl    | 552 Error: message size exceeds fixed maximum message size |

  Scenario Outline: <client> sends UTF-8 addresses and an 8-bit body, stored byte for byte
    Given an SMTP server is running
    When <client> sends a message in UTF-8 from "jörg@example.com"
    Then the message from "jörg@example.com" should have arrived byte for byte

    Examples:
      | client  |
      | smtplib |
      | swaks   |
      | curl    |

  Scenario: The library's own sending steps use TLS when the server has it
    Given an SMTP server is running with implicit TLS
    When a message is sent from "app@example.com" to "alice@example.com" with subject "Encrypted"
    Then a message with subject "Encrypted" should be received
    And the message should have been sent over TLS

  Scenario: The assertions about how a message arrived fail with the reason
    Given a feature file "arrival.feature" with
      """
      Feature: How it arrived
        Scenario: over TLS
          Given an SMTP server is running
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Plain"
          Then a message with subject "Plain" should be received
          And the message should have been sent over TLS

        Scenario: by user
          Given an SMTP server is running with STARTTLS
          When a message is sent from "app@example.com" to "bob@example.com" with subject "Anonymous"
          Then a message with subject "Anonymous" should be received
          And the message should have been sent by user "alice"

        Scenario: before any message
          Given an SMTP server is running with STARTTLS
          Then the message should have been sent over TLS

        Scenario: login required
          Given an SMTP server is running that requires login as "alice" with password "s3cret"
          When a message is sent from "app@example.com" to "bob@example.com" with subject "No login"
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      Message #1 does not match: tls 'no' was not 'yes'.
      """
    And the output should contain
      """
      Message #1 does not match: sent without login.
      """
    And the output should contain
      """
      No message has been found yet
      """
    And the output should contain
      """
      (530, b'5.7.0 Authentication required', 'app@example.com')
      """
    And the output should contain
      """
      0 scenarios passed, 3 failed, 1 error
      """
    And the output should contain
      """
      server threads left: []
      """
