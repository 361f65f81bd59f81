Feature: Does the client check the server's certificate?
  A server presents a certificate with one defect; smtplib, curl and swaks, which
  this project did not write, check it against the test CA's file and refuse it.

  Scenario Outline: <client> refuses a certificate <certificate> over <mode>
    Given an SMTP server is running with <mode> and a "<certificate>" certificate
    When <client> tries to send over <mode>, checking the certificate
    Then the client should have rejected the server certificate
    And 0 messages should be received

    Examples:
      | client  | mode         | certificate |
      | smtplib | STARTTLS     | untrusted   |
      | smtplib | implicit TLS | wrong_host  |
      | curl    | STARTTLS     | expired     |
      | curl    | implicit TLS | wrong_host  |
      | swaks   | implicit TLS | untrusted   |
      | swaks   | STARTTLS     | expired     |
