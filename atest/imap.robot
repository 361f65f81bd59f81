*** Settings ***
Documentation     The IMAP and POP3 view: every keyword's success and failure, with Python's imaplib and
...               poplib as the application that reads mail. Users added in the suite setup survive the
...               reset at each test start; users added in a test do not outlive it.
Library           SMTPLibrary    timeout=3 s
Library           Mailer.py
Library           MailReader.py
Library           SecureMailer.py
Library           OperatingSystem
Library           Collections
Suite Setup       Start Servers And Add The Suite User
Suite Teardown    Stop All SMTP Servers


*** Variables ***
${EML}            ${CURDIR}${/}resources${/}mail${/}question.eml


*** Test Cases ***
Captured mail is in each recipient's INBOX, Bcc included
    Send Mail    ${SMTP}    recipients=bob@example.com, carol@example.com, hidden@example.com    subject=Team news
    ${msg} =    Message Should Be Received Matching    subject=Team news
    FOR    ${user}    IN    bob@example.com    carol@example.com    hidden@example.com
        Log In Over IMAP    ${IMAP}    ${user}    ${user}
        ${count} =    Select    INBOX
        Should Be Equal As Integers    ${count}    1
        Log Out
    END
    IMAP Message Should Not Have Flags    ${msg}    \\Seen

What the application does, the keywords see
    Send Mail    ${SMTP}    recipients=bob@example.com    subject=Invoice
    ${msg} =    Message Should Be Received Matching    subject=Invoice
    Log In Over IMAP    ${IMAP}    bob@example.com    bob@example.com
    Select
    Read Message    1
    IMAP Message Should Have Flags    ${msg}    \\Seen
    Set Flags    1    \\Flagged    $Processed
    IMAP Message Should Have Flags    ${msg}    \\Flagged    $Processed    \\Seen    timeout=1 s    user=bob@example.com
    Create Folder    Invoices
    Move Message    1    Invoices
    Message Should Be In Folder    ${msg}    Invoices
    ${folders} =    Get Mailbox Folders    bob@example.com
    Should Be Equal    ${folders}    ${{ ["INBOX", "Invoices"] }}
    Select    Invoices
    Delete And Expunge    1
    Message Should Be Expunged    ${msg}
    Log Out

Failures say where the message is
    ${msg} =    Deliver Message    bob@example.com    Subject: Report\n\nHello
    Run Keyword And Expect Error
    ...    Message #${msg.seq} 'Report' to bob@example.com did not get \\Seen in 200 milliseconds: it is in INBOX with no flags.
    ...    IMAP Message Should Have Flags    ${msg}    \\Seen    timeout=0.2 s    user=bob@example.com
    Log In Over IMAP    ${IMAP}    bob@example.com    bob@example.com
    Select
    Set Flags    1    \\Deleted
    Run Keyword And Expect Error
    ...    Message #${msg.seq} 'Report' still had \\Deleted after 200 milliseconds: for bob@example.com it is in INBOX with \\Deleted.
    ...    IMAP Message Should Not Have Flags    ${msg}    \\Deleted    timeout=0.2 s
    Run Keyword And Expect Error
    ...    Message #${msg.seq} 'Report' was not in folder 'Done' after 200 milliseconds: for bob@example.com it is in INBOX with \\Deleted.
    ...    Message Should Be In Folder    ${msg}    Done    timeout=0.2 s
    Run Keyword And Expect Error
    ...    Message #${msg.seq} 'Report' was not expunged in 200 milliseconds: for bob@example.com it is in INBOX with \\Deleted. (\\Deleted is set: the client has not expunged yet)
    ...    Message Should Be Expunged    ${msg}    timeout=0.2 s
    Run Keyword And Expect Error
    ...    Message #${msg.seq} 'Report' to eve@example.com was not in folder 'INBOX' after 3 seconds: it was not delivered to eve@example.com.
    ...    Message Should Be In Folder    ${msg}    INBOX    user=eve@example.com
    Log Out

Wrong arguments name themselves
    ${msg} =    Deliver Message    bob@example.com    Subject: Flags\n\nHello
    Run Keyword And Expect Error    '\\Important' is not an IMAP system flag: use one of *
    ...    IMAP Message Should Have Flags    ${msg}    \\Important
    Run Keyword And Expect Error    Give at least one flag: *
    ...    IMAP Message Should Have Flags    ${msg}
    Run Keyword And Expect Error    tls must be one of none, starttls, implicit, got 'ssl'.
    ...    Start IMAP Server    tls=ssl
    Run Keyword And Expect Error    'no-such-file.eml' is neither an existing file nor the text of a message *
    ...    Deliver Message    bob@example.com    no-such-file.eml
    Run Keyword And Expect Error    No SMTP server with alias 'nope'. Known aliases: *
    ...    Start POP3 Server    smtp_alias=nope

Delivered mail is in the one store
    ${from file} =    Deliver Message    support@example.com    ${EML}
    Should Be Equal    ${from file.sender}    alice@example.com
    Should Be Equal    ${from file.recipients}    ${{ ["support@example.com"] }}
    ${again} =    Deliver Message    bob@example.com    ${from file}    sender=helpdesk@example.com
    Should Be Equal    ${again.raw}    ${from file.raw}
    Should Be Equal    ${again.sender}    helpdesk@example.com
    ${found} =    Message Should Be Received Matching    recipient=EQUALS:bob@example.com    subject=Printer
    Should Be True    $found is $again
    Log In Over IMAP    ${IMAP}    support    s3cret
    ${count} =    Select
    Should Be Equal As Integers    ${count}    1
    ${raw} =    Read Message    1
    Should Contain    ${raw}    My printer is on fire.
    IMAP Message Should Have Flags    ${from file}    \\Seen
    Log Out

Added users log in with their own password only
    Deliver Message    support@example.com    Subject: Hi\n\nHello
    ${error} =    Imap Login Should Fail    ${IMAP}    support@example.com    support@example.com
    Should Contain    ${error}    [AUTHENTICATIONFAILED] Invalid authentication credentials.
    ${error} =    Imap Login Should Fail    ${IMAP}    support    wrong
    Should Contain    ${error}    [AUTHENTICATIONFAILED]
    ${error} =    Pop3 Login Should Fail    ${POP3}    nobody@example.com    nobody@example.com
    Should Be Equal    ${error}    -ERR [AUTH] Authentication failed.
    ${folders} =    Get Mailbox Folders    nobody@example.com
    Should Be Empty    ${folders}

A user added in a test
    Add Mail User    temp@example.com    pa55    login=temp
    Log In Over IMAP    ${IMAP}    temp    pa55
    Log Out

is removed when the test ends, a suite's user stays
    ${error} =    Imap Login Should Fail    ${IMAP}    temp    pa55
    Should Contain    ${error}    [AUTHENTICATIONFAILED]
    Log In Over IMAP    ${IMAP}    support    s3cret
    Log Out

A reset removes created folders and empties the INBOX
    ${msg} =    Deliver Message    bob@example.com    Subject: Old\n\nHello
    Log In Over IMAP    ${IMAP}    bob@example.com    bob@example.com
    Create Folder    Old
    Log Out
    Reset Mailbox
    ${folders} =    Get Mailbox Folders    bob@example.com
    Should Be Equal    ${folders}    ${{ ["INBOX"] }}
    Log In Over IMAP    ${IMAP}    bob@example.com    bob@example.com
    ${count} =    Select
    Should Be Equal As Integers    ${count}    0
    Log Out

POP3 retrieves and deletes
    ${msg} =    Deliver Message    bob@example.com    Subject: Pop\n\nHello
    ${raw} =    Pop3 Retrieve And Delete    ${POP3}    bob@example.com    bob@example.com
    Should Contain    ${raw}    Subject: Pop
    Message Should Be Expunged    ${msg}

IMAP and POP3 over TLS, and for another server by alias
    Start SMTP Server    alias=second
    ${imaps} =    Start IMAP Server    tls=implicit    smtp_alias=second
    ${pop3s} =    Start POP3 Server    tls=starttls    smtp_alias=second
    ${ca} =    Get IMAP Server CA Certificate    smtp_alias=second
    ${msg} =    Deliver Message    bob@example.com    Subject: Secret\n\nHello
    Log In Over IMAP    ${imaps}    bob@example.com    bob@example.com    tls=implicit    ca=${ca}
    ${count} =    Select
    Should Be Equal As Integers    ${count}    1
    Log Out
    [Teardown]    Stop SMTP Server    second

IMAP Server CA Certificate fails for a certificate given to the SMTP server
    Create Directory    ${OUTPUT DIR}${/}imap-own
    ${certificate}    ${key}    ${ca} =    Make Certificate Files    ${OUTPUT DIR}${/}imap-own
    ${port} =    Start SMTP Server    tls=implicit    certificate=${certificate}    key=${key}    alias=own
    Run Keyword And Expect Error
    ...    The SMTP server on 127.0.0.1:${port} uses the certificate it was given: its CA certificate is not SMTPLibrary's to give.
    ...    Get IMAP Server CA Certificate    smtp_alias=own
    [Teardown]    Stop SMTP Server    own


*** Keywords ***
Start Servers And Add The Suite User
    ${smtp} =    Start SMTP Server
    ${imap} =    Start IMAP Server
    ${pop3} =    Start POP3 Server
    Set Suite Variable    ${SMTP}    ${smtp}
    Set Suite Variable    ${IMAP}    ${imap}
    Set Suite Variable    ${POP3}    ${pop3}
    Add Mail User    support@example.com    s3cret    login=support
