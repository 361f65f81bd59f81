*** Settings ***
Documentation     Get Unique Address: an address of the test's own, safe to use as a criterion.
...               The server is shared and never emptied (auto_reset=none): tests still
...               tell their own mail apart by their address.
Library           SMTPLibrary    timeout=1 s    auto_reset=none
Library           Mailer.py
Suite Setup       Start Shared Server
Suite Teardown    Stop All SMTP Servers


*** Variables ***
${PORT}           ${None}
${FIRST}          ${None}
@{SETUP ADDRESSES}


*** Test Cases ***
The address is name.token@domain
    ${address} =    Get Unique Address    domain=example.test
    Should Match Regexp    ${address}    ^test\\.[0-9a-f]{12}@example\\.test$
    ${address} =    Get Unique Address    domain=mail.example.org    name=alice
    Should Match Regexp    ${address}    ^alice\\.[0-9a-f]{12}@mail\\.example\\.org$

The same name gives the same address within a test
    ${one} =    Get Unique Address
    ${again} =    Get Unique Address
    Should Be Equal    ${one}    ${again}
    ${other} =    Get Unique Address    name=other
    Should Not Be Equal    ${one}    ${other}
    Should Be Equal    ${one.split('.')[1]}    ${other.split('.')[1]}
    Set Suite Variable    ${FIRST}    ${one}

Each test gets another address
    ${address} =    Get Unique Address
    Should Not Be Equal    ${address}    ${FIRST}

Outside a test every call gives a new address
    Should Not Be Equal    ${SETUP ADDRESSES}[0]    ${SETUP ADDRESSES}[1]

The address works as a criterion as it is
    ${address} =    Get Unique Address
    Send Mail    ${PORT}    recipients=${address}    subject=mine
    ${other} =    Get Unique Address    name=other
    Send Mail    ${PORT}    recipients=${other}    subject=other
    ${messages} =    Get Messages    recipient=${address}
    Length Should Be    ${messages}    1
    Should Be Equal    ${messages[0].subject}    mine

Tests sharing a server see only their own mail: first
    Sends Three And Sees Only Them

Tests sharing a server see only their own mail: second
    Sends Three And Sees Only Them

Unsafe names and domains are refused
    Run Keyword And Expect Error
    ...    name may hold only letters, digits, '-', '_' and inner dots, got 'alice+1'.
    ...    Get Unique Address    name=alice+1
    Run Keyword And Expect Error
    ...    EQUALS:domain may hold only letters, digits, '-' and inner dots, got '(example).test'.
    ...    Get Unique Address    domain=(example).test
    Run Keyword And Expect Error
    ...    domain may hold only letters, digits, '-' and inner dots, got ''.
    ...    Get Unique Address    domain=

A misspelled argument name fails at once, naming it and the arguments
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'nme' in domain='nme=admin': the arguments are domain, name. Did you mean name?
    ...    Get Unique Address    nme=admin


*** Keywords ***
Start Shared Server
    ${port} =    Start SMTP Server
    Set Suite Variable    ${PORT}    ${port}
    ${first} =    Get Unique Address
    ${second} =    Get Unique Address
    Set Suite Variable    @{SETUP ADDRESSES}    ${first}    ${second}

Sends Three And Sees Only Them
    ${address} =    Get Unique Address
    FOR    ${n}    IN RANGE    3
        Send Mail    ${PORT}    recipients=${address}    subject=${TEST NAME} ${n}
    END
    ${total} =    Get Message Count
    Should Be True    ${total} >= 3
    ${mine} =    Get Messages    recipient=${address}
    Length Should Be    ${mine}    3
    FOR    ${message}    IN    @{mine}
        Should Start With    ${message.subject}    ${TEST NAME}
    END
