*** Settings ***
Documentation     Starting, stopping and choosing servers.
Library           SMTPLibrary    timeout=2 s
Library           Mailer.py
Test Teardown     Stop All SMTP Servers


*** Test Cases ***
Start SMTP Server returns a free port
    ${port} =    Start SMTP Server
    Should Be True    ${port} > 1023
    ${reported} =    Get SMTP Server Port
    Should Be Equal    ${reported}    ${port}
    Send Mail    ${port}
    Message Count Should Be    1

Start SMTP Server on a given port
    ${free} =    Get Free Port
    ${port} =    Start SMTP Server    port=${free}
    Should Be Equal As Integers    ${port}    ${free}

Start SMTP Server on a given host
    ${port} =    Start SMTP Server    host=localhost
    Send Mail    ${port}    host=localhost
    Message Count Should Be    1

Start SMTP Server fails at once on a port in use
    ${port} =    Start SMTP Server
    Run Keyword And Expect Error
    ...    Cannot start an SMTP server on 127.0.0.1:${port}: the port is already in use.
    ...    Start SMTP Server    port=${port}

Start SMTP Server fails on an unknown host
    Run Keyword And Expect Error
    ...    Cannot start an SMTP server on no-such-host.invalid:0: unknown host (*).
    ...    Start SMTP Server    host=no-such-host.invalid

A misspelled argument name fails at once, naming it and the arguments
    Run Keyword And Expect Error
    ...    GLOB:Unknown argument 'timeout' in host='timeout=10': the arguments are host, port, alias, tls, require_tls, *, server_hostname, *.
    ...    Start SMTP Server    timeout=10
    Start SMTP Server    alias=main
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'timeout' in alias='timeout=5': the arguments are alias.
    ...    Stop SMTP Server    timeout=5
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'alais' in alias='alais=main': the arguments are alias. Did you mean alias?
    ...    Switch SMTP Server    alais=main

Start SMTP Server refuses an alias that is running
    ${port} =    Start SMTP Server    alias=main
    Run Keyword And Expect Error
    ...    An SMTP server with alias 'main' is already running on 127.0.0.1:${port}. Stop it first or give the new server another alias.
    ...    Start SMTP Server    alias=main

Start SMTP Server reuses the alias of a stopped server
    Start SMTP Server    alias=main
    Stop SMTP Server
    ${port} =    Start SMTP Server    alias=main
    Send Mail    ${port}
    Message Count Should Be    1

Servers have separate mailboxes
    ${first} =    Start SMTP Server    alias=first
    ${second} =    Start SMTP Server    alias=second
    Send Mail    ${first}    subject=to first
    Send Mail    ${second}    subject=to second
    Send Mail    ${second}    subject=to second again
    Message Count Should Be    2
    Switch SMTP Server    first
    Message Count Should Be    1
    Message Should Be Received Matching    subject=to first

Switch SMTP Server returns the previous alias
    Start SMTP Server    alias=first
    Start SMTP Server    alias=second
    ${previous} =    Switch SMTP Server    first
    Should Be Equal    ${previous}    second
    ${port} =    Get SMTP Server Port
    ${previous} =    Switch SMTP Server    ${previous}
    Should Be Equal    ${previous}    first
    ${other} =    Get SMTP Server Port
    Should Not Be Equal    ${port}    ${other}

Servers without an alias are numbered
    ${first} =    Start SMTP Server
    Start SMTP Server
    Switch SMTP Server    1
    ${port} =    Get SMTP Server Port
    Should Be Equal    ${port}    ${first}

Switch SMTP Server fails on an unknown alias
    Start SMTP Server    alias=known
    Run Keyword And Expect Error
    ...    No SMTP server with alias 'unknown'. Known aliases: 'known'.
    ...    Switch SMTP Server    unknown

Stop SMTP Server refuses connections but keeps the mail
    ${port} =    Start SMTP Server
    Send Mail    ${port}    subject=before stop
    Stop SMTP Server
    Connection Should Be Refused    ${port}
    Message Should Be Received Matching    subject=before stop    timeout=0 s
    Message Count Should Be    1

Stop SMTP Server twice does nothing more
    Start SMTP Server
    Stop SMTP Server
    Stop SMTP Server

Stop SMTP Server by alias
    ${first} =    Start SMTP Server    alias=first
    ${second} =    Start SMTP Server    alias=second
    Stop SMTP Server    first
    Connection Should Be Refused    ${first}
    Send Mail    ${second}
    Message Count Should Be    1

Stop SMTP Server fails on an unknown alias
    Start SMTP Server    alias=known
    Run Keyword And Expect Error
    ...    No SMTP server with alias 'nope'. Known aliases: 'known'.
    ...    Stop SMTP Server    nope

Stop All SMTP Servers
    ${first} =    Start SMTP Server
    ${second} =    Start SMTP Server
    Stop All SMTP Servers
    Connection Should Be Refused    ${first}
    Connection Should Be Refused    ${second}

Waiting on a stopped server fails at once
    Start SMTP Server
    Stop SMTP Server
    Run Keyword And Expect Error
    ...    The SMTP server on 127.0.0.1:* was stopped. No message matching subject='never' arrived in *. No message arrived.
    ...    Message Should Be Received Matching    subject=never    timeout=1 minute
