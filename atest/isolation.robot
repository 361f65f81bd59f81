*** Settings ***
Documentation     auto_reset=test (the default): every test starts with an empty mailbox,
...               servers started in a test stop when it ends, suite-level servers live on.
...               The tests run in order and depend on each other on purpose: each one
...               would fail if the library did not isolate it from the one before.
Library           SMTPLibrary    timeout=1 s
Library           Mailer.py
Suite Setup       Start Suite Server


*** Variables ***
${SUITE PORT}     ${None}
${TEST PORT}      ${None}
${OTHER PORT}     ${None}


*** Test Cases ***
A test leaves mail and a server of its own behind
    Send Mail    ${SUITE PORT}    subject=left behind
    Message Count Should Be    1
    ${port} =    Start SMTP Server    alias=in-test
    Set Suite Variable    ${TEST PORT}    ${port}
    Send Mail    ${port}    subject=to the test server
    Message Count Should Be    1

The next test starts with an empty mailbox
    Message Count Should Be    0    timeout=0 s
    Message Should Not Be Received Matching    subject=left behind

The server started in the previous test is stopped and forgotten
    Connection Should Be Refused    ${TEST PORT}
    Run Keyword And Expect Error    No SMTP server with alias 'in-test'. Known aliases: 'other', 'suite'.
    ...    Switch SMTP Server    in-test

The suite server is current again and still running
    ${port} =    Get SMTP Server Port
    Should Be Equal    ${port}    ${SUITE PORT}
    Send Mail    ${SUITE PORT}    subject=still there
    Message Should Be Received Matching    subject=still there

A test leaves a fault rule behind
    Set SMTP Reply    RCPT    550    count=0
    Run Keyword And Expect Error    *550*    Send Mail    ${SUITE PORT}    subject=refused

The next test starts without faults and with an empty transcript
    ${sessions} =    Get SMTP Transcript
    Should Be Empty    ${sessions}
    Send Mail    ${SUITE PORT}    subject=accepted
    Message Should Be Received Matching    subject=accepted

Mail sent during a test teardown is gone in the next test
    [Teardown]    Send Mail    ${SUITE PORT}    subject=from teardown
    No Operation

The suite server's mailbox is empty after a teardown sent to it
    Message Count Should Be    0    timeout=0 s

Mail to a server that is not the current one
    Send Mail    ${OTHER PORT}    subject=to the other server
    Switch SMTP Server    other
    Message Count Should Be    1
    [Teardown]    Switch SMTP Server    suite

Every known server is emptied, not only the current one
    Message Count Should Be    0    timeout=0 s
    Switch SMTP Server    other
    Message Count Should Be    0    timeout=0 s
    [Teardown]    Switch SMTP Server    suite

Stop All SMTP Servers inside a test is fine with the listener
    Start SMTP Server    alias=doomed
    Stop All SMTP Servers
    ${port} =    Start SMTP Server    alias=suite
    Set Suite Variable    ${SUITE PORT}    ${port}

A server started after Stop All belongs to the test that started it
    Connection Should Be Refused    ${SUITE PORT}
    Run Keyword And Expect Error    No SMTP server has been started.    Get SMTP Server Port


*** Keywords ***
Start Suite Server
    ${port} =    Start SMTP Server    alias=other
    Set Suite Variable    ${OTHER PORT}    ${port}
    ${port} =    Start SMTP Server    alias=suite
    Set Suite Variable    ${SUITE PORT}    ${port}
