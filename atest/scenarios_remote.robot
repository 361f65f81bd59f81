*** Settings ***
Documentation     The scenarios of resources/scenarios.resource through Robot Framework's Remote
...               library: `smtplibrary remote` runs as a process of its own on a free port, and
...               the SMTP servers run in that process. scenarios_local.robot runs the same
...               scenarios with the library in this process.
Library           Process
Library           OperatingSystem
Resource          scenarios.resource
Suite Setup       Start Remote Library
Suite Teardown    Stop Remote Library
Test Teardown     Stop All SMTP Servers


*** Variables ***
${PORT FILE}      ${TEMPDIR}/smtplibrary-remote-${{ uuid.uuid4().hex }}.port
${REMOTE PORT}    ${None}


*** Test Cases ***
Start, send and wait for a message
    Start, send and wait for a message

Wait for mail that arrives later
    Wait for mail that arrives later

Find messages by criteria
    Find messages by criteria

Failures read the same
    Failures read the same

Several servers by alias
    Several servers by alias

Stopping servers
    Stopping servers

Unique addresses
    Unique addresses

Read what a message says
    Read what a message says

Read a forwarded message
    Read a forwarded message

Transcript of refused and accepted mail
    Transcript of refused and accepted mail

TLS and login
    TLS and login

Message checks
    Message checks

Certificate checks
    Certificate checks

A message is a dictionary on this side
    ${port} =    Start SMTP Server
    Send Mail    ${port}    subject=Remote
    ${msg} =    Message Should Be Received Matching    subject=Remote
    Should Be True    isinstance($msg, dict)
    Should Be Equal    ${msg}[subject]    Remote
    Should Be Equal    ${msg.html}    ${EMPTY}
    Should Match Regexp    ${msg.received_at}    ^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d
    Should Contain    ${msg.source}    \nSubject: Remote\n

The remote server stops its SMTP servers when it stops
    ${port} =    Start SMTP Server    alias=left-running
    Stop Remote Library
    Connection Should Be Refused    ${port}
    File Should Not Exist    ${PORT FILE}
    [Teardown]    Start Remote Library    port=${REMOTE PORT}


*** Keywords ***
Start Remote Library
    [Arguments]    ${port}=0
    Start Process    ${{ sys.executable }}    -m    SMTPLibrary    remote    --port    ${port}    --port-file    ${PORT FILE}
    ...    alias=remote    stdout=${OUTPUT DIR}/remote-server.log    stderr=STDOUT
    Wait Until Created    ${PORT FILE}    timeout=30 s
    ${port} =    Get File    ${PORT FILE}
    Set Suite Variable    ${REMOTE PORT}    ${port.strip()}
    Import Library    Remote    http://127.0.0.1:${REMOTE PORT}

Stop Remote Library
    Stop Remote Server
    ${result} =    Wait For Process    remote    timeout=30 s    on_timeout=kill
    Should Be Equal As Integers    ${result.rc}    0    ${result.stdout}
