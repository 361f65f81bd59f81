*** Settings ***
Documentation     Clients this project did not write deliver to the server: swaks and curl.
...               A missing client is a failure, not a skip (`make test` installs them).
Library           SMTPLibrary
Library           Process
Library           OperatingSystem
Suite Setup       Start Server For Suite
Test Setup        Reset Mailbox
Suite Teardown    Stop All SMTP Servers


*** Variables ***
${PORT}           ${None}


*** Test Cases ***
swaks delivers a message
    ${result} =    Run Process    swaks    --server    127.0.0.1:${PORT}    --helo    swaks.test
    ...    --from    swaks@example.com    --to    alice@example.com,bob@example.com
    ...    --header    Subject: Sent by swaks    --body    Hello from swaks
    Should Be Equal As Integers    ${result.rc}    0    swaks failed: ${result.stdout}${result.stderr}
    ${msg} =    Message Should Be Received Matching    sender=EQUALS:swaks@example.com    subject=EQUALS:Sent by swaks
    Should Be Equal    ${msg.recipients}    ${{ ['alice@example.com', 'bob@example.com'] }}
    Should Be Equal    ${msg.helo}    swaks.test
    Should Contain    ${msg.text}    Hello from swaks

curl delivers a message byte for byte
    ${source} =    Set Variable    From: curl@example.com\r\nTo: alice@example.com\r\nSubject: Sent by curl\r\n\r\nHello from curl\r\n
    Create Binary File    ${OUTPUT DIR}/curl-mail.eml    ${source}
    ${result} =    Run Process    curl    --silent    --show-error    smtp://127.0.0.1:${PORT}/curl.test
    ...    --mail-from    curl@example.com    --mail-rcpt    alice@example.com
    ...    --upload-file    ${OUTPUT DIR}/curl-mail.eml
    Should Be Equal As Integers    ${result.rc}    0    curl failed: ${result.stderr}
    ${msg} =    Message Should Be Received Matching    sender=EQUALS:curl@example.com
    Should Be Equal    ${msg.subject}    Sent by curl
    Should Be Equal    ${msg.helo}    curl.test
    Should Be Equal    ${msg.raw}    ${{ $source.encode() }}


*** Keywords ***
Start Server For Suite
    ${port} =    Start SMTP Server
    Set Suite Variable    ${PORT}    ${port}
