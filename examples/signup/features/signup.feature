Feature: Sign-up verification e-mail
  The sign-up application sends a verification link to every new user.

  Scenario: A new user gets a verification link
    Given an SMTP server is running
    When "alice@example.com" signs up as "Alice"
    Then a message to "alice@example.com" should be received
    And the message body should contain "Hello Alice"
    And the message body should contain "https://signup.example.test/verify?token="

  Scenario: Nobody else gets it
    Given an SMTP server is running
    When "bob@example.com" signs up as "Bob"
    Then 1 message should be received
    And no message should be received matching "To: .*alice@"
