*** Settings ***
Documentation     An error the server met before a test starts (here, a message it could not
...               write to disk) neither stops the fresh start nor gets lost: the listener
...               empties the mailbox, clears the faults and takes ownership of the test's
...               servers, and the test's first keyword reports the error. The tests run in
...               order and depend on each other on purpose.
Library           SMTPLibrary    timeout=1 s
Library           Mailer.py
Library           OperatingSystem
Suite Setup       Start Suite Server
Suite Teardown    Run Keywords    Stop All SMTP Servers    AND    Remove Directory    ${MAILDIR}    recursive=True


*** Variables ***
${MAILDIR}        ${TEMPDIR}/smtplibrary-isolation-errors-${{ uuid.uuid4().hex }}
${SUITE PORT}     ${None}
${TEST PORT}      ${None}


*** Test Cases ***
A test leaves mail, a fault and a disk error behind
    Set SMTP Reply    RCPT    550    count=0    recipient=refused@example.com
    Remove Directory    ${MAILDIR}/new
    Send Mail    ${SUITE PORT}    subject=not on disk
    # The disk write fails in the background: wait for it without the check every keyword
    # makes (which would report the error in this test), so that it is pending when the next starts.
    ${library} =    Get Library Instance    SMTPLibrary
    Should Be True    $library.servers.get().flush(10)

The next test starts afresh and its first keyword reports the error
    Run Keyword And Expect Error    Could not write 1 message to Maildir ${MAILDIR}: *
    ...    Get Message Count
    Create Directory    ${MAILDIR}/new
    Message Count Should Be    0    timeout=0 s
    Send Mail    ${SUITE PORT}    recipients=refused@example.com    subject=accepted
    Message Should Be Received Matching    subject=accepted
    ${port} =    Start SMTP Server    alias=in-test
    Set Suite Variable    ${TEST PORT}    ${port}

The server started in that test stopped with it
    Connection Should Be Refused    ${TEST PORT}
    ${port} =    Get SMTP Server Port
    Should Be Equal    ${port}    ${SUITE PORT}


*** Keywords ***
Start Suite Server
    ${port} =    Start SMTP Server    alias=suite    maildir=${MAILDIR}
    Set Suite Variable    ${SUITE PORT}    ${port}
