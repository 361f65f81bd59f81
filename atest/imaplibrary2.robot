*** Settings ***
Documentation     An existing ImapLibrary2 suite, pointed at SMTPLibrary's IMAP view by host and port only,
...               reading the mail the application sent. Its test cases use ImapLibrary2's keywords alone
...               (and BuiltIn's Should Be Equal); the last test checks with SMTPLibrary what they did.
...               auto_reset=suite: the mail the suite setup made the application send stays for its tests.
Library           SMTPLibrary    auto_reset=suite
Library           ImapLibrary2
Library           Mailer.py
Suite Setup       The Application Sends Its Mail


*** Variables ***
${IMAP_HOST}      127.0.0.1
${IS_SECURE}      False
${USER}           bob@example.com
${PASSWORD}       bob@example.com


*** Test Cases ***
Activation Mail Has The Link
    Open Mailbox    host=${IMAP_HOST}    user=${USER}    password=${PASSWORD}    port=${IMAP_PORT}    is_secure=${IS_SECURE}
    ${index}=    Wait For Email    sender=app@example.com    subject=Activate your account    timeout=10
    @{links}=    Get Links From Email    ${index}
    Should Be Equal    ${links}[0]    https://example.com/activate?token=abc123
    Mark Email As Read    ${index}
    Close Mailbox

Obsolete Mail Is Deleted
    Open Mailbox    host=${IMAP_HOST}    user=${USER}    password=${PASSWORD}    port=${IMAP_PORT}    is_secure=${IS_SECURE}
    ${index}=    Wait For Email    subject=Obsolete    timeout=10
    Delete Email    ${index}
    Close Mailbox

SMTPLibrary sees what ImapLibrary2 did
    IMAP Message Should Have Flags    ${ACTIVATION}    \\Seen
    Message Should Be Expunged    ${OBSOLETE}


*** Keywords ***
The Application Sends Its Mail
    ${smtp} =    Start SMTP Server
    ${imap} =    Start IMAP Server
    Set Suite Variable    ${IMAP_PORT}    ${imap}
    Send HTML Mail    ${smtp}    Activate your account    <a href="https://example.com/activate?token=abc123">Activate</a>
    Send HTML Mail    ${smtp}    Obsolete    <p>old news</p>
    ${activation} =    Message Should Be Received Matching    subject=Activate
    ${obsolete} =    Message Should Be Received Matching    subject=Obsolete
    Set Suite Variable    ${ACTIVATION}    ${activation}
    Set Suite Variable    ${OBSOLETE}    ${obsolete}

Send HTML Mail
    [Arguments]    ${port}    ${subject}    ${html}
    ${raw} =    Catenate    SEPARATOR=\r\n    From: app@example.com    To: bob@example.com    Subject: ${subject}
    ...    Content-Type: text/html; charset=utf-8    ${EMPTY}    ${html}    ${EMPTY}
    Send Raw Mail    ${port}    ${raw}    app@example.com    bob@example.com
