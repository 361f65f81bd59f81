*** Settings ***
Documentation     The sign-up application sends a verification e-mail.
...               It runs as its own process and is told the port of the
...               SMTP server this suite starts, as a real application would be.
Library           SMTPLibrary
Library           Process
Suite Setup       Start SMTP Server
Suite Teardown    Stop All SMTP Servers
Test Setup        Reset Mailbox


*** Test Cases ***
Signing up sends a verification link
    Sign Up    alice@example.com    Alice
    ${msg} =    Message Should Be Received Matching
    ...    recipient=EQUALS:alice@example.com    subject=EQUALS:Confirm your e-mail address
    Should Contain    ${msg.text}    Hello Alice
    Should Match Regexp    ${msg.text}    https://signup\\.example\\.test/verify\\?token=[\\w-]+
    Should Contain    ${msg.html}    <a href=

The verification mail goes to the new user only
    Sign Up    bob@example.com    Bob
    Message Should Be Received Matching    recipient=EQUALS:bob@example.com
    Message Should Not Be Received Matching    recipient=alice@
    Message Count Should Be    1


*** Keywords ***
Sign Up
    [Arguments]    ${email}    ${name}
    ${port} =    Get SMTP Server Port
    ${result} =    Run Process    ${{ sys.executable }}    ${CURDIR}/signup_app.py
    ...    --smtp-port    ${port}    ${email}    ${name}
    Should Be Equal As Integers    ${result.rc}    0    ${result.stderr}
