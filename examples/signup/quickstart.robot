*** Settings ***
Library    SMTPLibrary
Library    Process

*** Test Cases ***
Signing up sends a verification link
    ${port} =    Start SMTP Server
    Run Process    python3    ${CURDIR}/signup_app.py    --smtp-port    ${port}    alice@example.com    Alice
    ${msg} =    Message Should Be Received Matching    recipient=alice@example.com    subject=Confirm
    Should Contain    ${msg.text}    https://signup.example.test/verify?token=
    [Teardown]    Stop SMTP Server
