*** Settings ***
Documentation     auto_reset=suite: mail and servers started in a test last until the suite ends.
...               The tests run in order and depend on each other on purpose.
Library           SMTPLibrary    timeout=1 s    auto_reset=suite
Library           Mailer.py
Suite Setup       Start Suite Server


*** Variables ***
${SUITE PORT}     ${None}
${TEST PORT}      ${None}


*** Test Cases ***
A test leaves mail and a server behind
    Send Mail    ${SUITE PORT}    subject=left behind
    ${port} =    Start SMTP Server    alias=in-test
    Set Suite Variable    ${TEST PORT}    ${port}
    Send Mail    ${port}    subject=to the test server

The next test still sees them
    Message Should Be Received Matching    subject=to the test server
    Switch SMTP Server    suite
    Message Should Be Received Matching    subject=left behind
    Send Mail    ${TEST PORT}    subject=again
    Switch SMTP Server    in-test
    Message Count Should Be    2


*** Keywords ***
Start Suite Server
    ${port} =    Start SMTP Server    alias=suite
    Set Suite Variable    ${SUITE PORT}    ${port}
