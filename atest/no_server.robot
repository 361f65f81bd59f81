*** Settings ***
Documentation     Keywords used before any server is started say so.
...               A library instance of its own (AS Fresh): in a global
...               library, servers of other suites would still be known.
Library           SMTPLibrary    timeout=1 s    AS    Fresh


*** Test Cases ***
Keywords need a started server
    [Template]    Should fail without a server
    Get SMTP Server Port
    Reset Mailbox
    Get Message Count
    Get Messages
    Message Count Should Be    0
    Message Should Be Received Matching    subject=x
    Message Should Not Be Received Matching    subject=x
    Stop SMTP Server
    Get SMTP Server CA Certificate
    Set SMTP Reply    RCPT    451
    Set SMTP Delay    DATA    1 s
    Set SMTP Disconnect    MAIL
    Clear SMTP Faults
    Get SMTP Transcript
    SMTP Client Should Have Retried    1

Stop All SMTP Servers without servers does nothing
    Stop All SMTP Servers


*** Keywords ***
Should fail without a server
    [Arguments]    ${keyword}    @{args}
    Run Keyword And Expect Error    No SMTP server has been started.    ${keyword}    @{args}
