*** Settings ***
Documentation     The help desk reads the support mailbox over IMAP, opens a ticket for each unread
...               mail and marks it read. The test delivers mail into the mailbox (no SMTP needed),
...               runs the application, and checks the ticket and what it did to the mail.
Library           SMTPLibrary
Library           Process
Library           OperatingSystem
Suite Setup       Open The Support Mailbox
Suite Teardown    Stop All SMTP Servers
Test Setup        Use A Fresh Tickets Folder


*** Test Cases ***
A customer's mail becomes a ticket and is marked read
    ${msg} =    Deliver Message    support@helpdesk.test    ${CURDIR}/mail/printer.eml
    Run The Help Desk
    ${ticket} =    Get File    ${TICKETS}/ticket-1.txt
    Should Contain    ${ticket}    Subject: Printer on fire
    Should Contain    ${ticket}    My printer is on fire.
    IMAP Message Should Have Flags    ${msg}    \\Seen

Mail already read is not ticketed again
    ${first} =    Deliver Message    support@helpdesk.test    Subject: Password reset\n\nI forgot my password.
    Run The Help Desk
    ${second} =    Deliver Message    support@helpdesk.test    Subject: Thanks\n\nIt works now.
    Run The Help Desk
    ${files} =    List Files In Directory    ${TICKETS}
    Length Should Be    ${files}    2
    IMAP Message Should Have Flags    ${second}    \\Seen


*** Keywords ***
Open The Support Mailbox
    Start SMTP Server
    ${imap} =    Start IMAP Server
    Set Suite Variable    ${IMAP PORT}    ${imap}
    # Added in the suite setup: the user stays for every test, while each test starts with an empty INBOX.
    Add Mail User    support@helpdesk.test    s3cret    login=support

Use A Fresh Tickets Folder
    Set Test Variable    ${TICKETS}    ${OUTPUT DIR}/tickets/${TEST NAME}
    Remove Directory    ${TICKETS}    recursive=True

Run The Help Desk
    ${result} =    Run Process    ${{ sys.executable }}    ${CURDIR}/helpdesk_app.py    --imap-port    ${IMAP PORT}
    ...    --user    support    --password    s3cret    --tickets    ${TICKETS}    --once
    Should Be Equal As Integers    ${result.rc}    0    ${result.stderr}
