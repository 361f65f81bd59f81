Feature: Steps about the links, attachments and HTML of a message
  They read the message the last "Then ... should be received" step found.
  "matching" takes a regular expression; the other quoted values are literal.

  Background:
    Given an SMTP server is running

  Scenario: A link matching a pattern is kept in context.smtp_link
    When the corpus message "17-amazon-ses-html-only.eml" is sent
    Then a message with subject "Verify your email address" should be received
    And the message should contain a link matching "^https://app\.acme-cloud\.example/verify\?token="
    And context.smtp_link should be "https://app.acme-cloud.example/verify?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSIsImV4cCI6MTc0MzI0MDAwMH0.c2lnbmF0dXJl&email=alice%40example.com"

  Scenario: An attachment named in an encoded word, as Outlook names it
    When the corpus message "01-outlook-exchange-invoice.eml" is sent
    Then a message with subject "Rechnung Nr. 4711 für März – bitte prüfen" should be received
    And the message should have an attachment named "Rechnung 4711 März 2025.pdf"
    And context.smtp_attachment should be 85 bytes of application/pdf

  Scenario: The HTML of a message, decoded whatever its declared charset
    When the corpus message "13-mislabelled-charsets.eml" is sent
    Then a message with subject "Ihre Bestellung bei Café München" should be received
    And the message HTML should contain "Ihr „Café“-Paket ist unterwegs"

  Scenario Outline: Mail from real clients: <client>
    When the corpus message "<file>" is sent
    Then a message with subject "<subject>" should be received
    And the message should contain a link matching "<link>"
    And the message should have an attachment named "<attachment>"

    Examples:
      | client          | file                                 | subject                                        | link                      | attachment             |
      | Gmail           | 03-gmail-attachments.eml             | Re: Pièces jointes pour le dossier n° 2025-017 | formulaire\?etape=2&ref=  | photo justificatif.jpg |
      | Apple Mail      | 04-apple-mail-inline-image.eml       | Photo du chantier                              | rue-des-lilas$            | IMG_2041.png           |
      | Thunderbird     | 05-thunderbird-flowed.eml            | Übersicht Q3 und Protokoll                     | Q3\+%C3%9Cbersicht        | Protokoll Sitzung vom 11. März 2025 mit allen Beschlüssen.txt |
      | newsletter      | 07-newsletter-related-images.eml     | Spring sale: 30% off 🌷                        | /unsubscribe\?u=a1b2c3&id= | logo.png              |
      | SMTPUTF8 bank   | 18-raw-utf8-headers.eml              | Überweisung bestätigt ✓                        | auszug\?monat=2025-03     | Kontoauszug März.pdf   |
