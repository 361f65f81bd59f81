*** Settings ***
Documentation     auto_reset=none: the library empties and stops nothing by itself.
...               The tests run in order and depend on each other on purpose.
Library           SMTPLibrary    timeout=1 s    auto_reset=none
Library           Mailer.py
Suite Setup       Start Suite Server
Suite Teardown    Stop All SMTP Servers


*** Variables ***
${SUITE PORT}     ${None}
${TEST PORT}      ${None}


*** Test Cases ***
A test leaves mail and a server behind
    Send Mail    ${SUITE PORT}    subject=left behind
    ${port} =    Start SMTP Server    alias=in-test
    Set Suite Variable    ${TEST PORT}    ${port}

The next test still sees them
    Send Mail    ${TEST PORT}    subject=to the test server
    Message Count Should Be    1
    Switch SMTP Server    suite
    Message Count Should Be    1
    Message Should Be Received Matching    subject=left behind

auto_reset is validated
    Run Keyword And Expect Error
    ...    STARTS:Initializing library 'SMTPLibrary' with arguments [ auto_reset=tests ] failed: auto_reset must be 'test', 'suite' or 'none', got 'tests'.\n
    ...    Import Library    SMTPLibrary    auto_reset=tests    AS    Wrong


*** Keywords ***
Start Suite Server
    ${port} =    Start SMTP Server    alias=suite
    Set Suite Variable    ${SUITE PORT}    ${port}
