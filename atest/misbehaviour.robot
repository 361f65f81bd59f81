*** Settings ***
Documentation     Hidden extensions, TLS versions, rate limits, chaos and stalls: each keyword and option,
...               its examples as the keyword reference shows them, and each failure message.
Library           SMTPLibrary    timeout=2 s
Library           Collections
Library           FaultClient.py
Test Setup        Start Server For Test
Test Teardown     Stop All SMTP Servers


*** Variables ***
${PORT}           ${None}


*** Test Cases ***
Hidden extensions are left out of EHLO and refused as a server without them refuses them
    ${hidden} =    Start SMTP Server    hide_extensions=PIPELINING, SMTPUTF8    alias=hidden
    ${reply} =    Send SMTP Command    ${hidden}    EHLO smtplib.test
    Should Be Equal    ${reply}    250 localhost\nSIZE 33554432\n8BITMIME\nHELP
    ${reply} =    Send SMTP Command    ${hidden}    MAIL FROM:<a@example.com> SMTPUTF8
    Should Be Equal    ${reply}    555 5.5.4 SMTPUTF8 not accepted: this server does not offer SMTPUTF8
    ${reply} =    Send SMTP Command    ${PORT}    EHLO smtplib.test
    Should Be Equal    ${reply}    250 localhost\nPIPELINING\nSIZE 33554432\n8BITMIME\nSMTPUTF8\nHELP

A list of extensions to hide, and AUTH mechanisms
    @{hidden} =    Create List    STARTTLS    AUTH=PLAIN
    ${secure} =    Start SMTP Server    tls=starttls    credentials=alice:s3cret    allow_plaintext_auth=True
    ...    hide_extensions=${hidden}    alias=hidden
    ${reply} =    Send SMTP Command    ${secure}    STARTTLS
    Should Be Equal    ${reply}    502 5.5.1 Command not implemented
    ${reply} =    Send SMTP Command    ${secure}    AUTH PLAIN AGFsaWNlAHMzY3JldA==
    Should Be Equal    ${reply}    504 5.5.4 Unrecognized authentication type

The examples of Start SMTP Server with hidden extensions and TLS versions
    ${port} =    Start SMTP Server    hide_extensions=PIPELINING, SMTPUTF8    alias=first
    ${port} =    Start SMTP Server    tls=starttls    tls_min_version=TLSv1.3    alias=second
    Start SMTP Server    hide_extensions=STARTTLS    tls=starttls    alias=third
    Start SMTP Server    hide_extensions=AUTH=PLAIN    credentials=alice:s3cret    allow_plaintext_auth=True
    ...    alias=fourth

Bad hidden extensions and TLS versions fail the start naming what is allowed
    [Template]    Run Keyword And Expect Error
    Cannot hide 'CHUNKING': hide_extensions takes PIPELINING, SIZE, 8BITMIME, SMTPUTF8, STARTTLS, AUTH, AUTH=LOGIN, AUTH=PLAIN (what this server can offer).
    ...    Start SMTP Server    hide_extensions=CHUNKING
    tls_min_version must be one of TLSv1.2, TLSv1.3, got 'TLSv1.1'.
    ...    Start SMTP Server    tls=starttls    tls_min_version=TLSv1.1
    tls_max_version needs tls='starttls' or tls='implicit'.
    ...    Start SMTP Server    tls_max_version=TLSv1.2
    tls_min_version='TLSv1.3' is newer than tls_max_version='TLSv1.2': no TLS version would be left.
    ...    Start SMTP Server    tls=implicit    tls_min_version=TLSv1.3    tls_max_version=TLSv1.2
    require_tls=True cannot go with hiding STARTTLS: no client could ever send mail. Leave one out.
    ...    Start SMTP Server    tls=starttls    require_tls=True    hide_extensions=STARTTLS

A TLS 1.3 server and a client limited to TLS 1.2
    ${modern} =    Start SMTP Server    tls=starttls    tls_min_version=TLSv1.3    alias=modern
    ${ca} =    Get SMTP Server CA Certificate
    ${outcome} =    Send With smtplib Over STARTTLS    ${modern}    ${ca}    max_version=TLSv1.2
    Should Match Regexp    ${outcome}    ^(SSLEOFError|SSLError): .*(UNEXPECTED_EOF|PROTOCOL_VERSION)
    Wait Until Keyword Succeeds    5 s    50 ms    Transcript Should Contain    *: the TLS handshake failed: UNSUPPORTED_PROTOCOL
    ${outcome} =    Send With smtplib Over STARTTLS    ${modern}    ${ca}
    Should Be Equal    ${outcome}    sent
    ${msg} =    Message Should Be Received Matching    tls=yes
    Should Be Equal    ${msg.tls}[version]    TLSv1.3

Set SMTP Rate Limit refuses MAIL once the window is full, and each refusal is a retry
    Set SMTP Rate Limit    2    1 minute
    @{outcomes} =    Create List
    FOR    ${n}    IN RANGE    3
        ${outcome} =    Send Twice On One Connection
        Append To List    ${outcomes}    ${outcome}
    END
    Should Be Equal    ${outcomes}    ${{ ['sent, sent'] * 3 }}
    Set SMTP Rate Limit    2    1 minute    scope=server
    FOR    ${n}    IN RANGE    2
        Send With smtplib    ${PORT}
    END
    ${outcome} =    Send With smtplib    ${PORT}
    Should Be Equal    ${outcome}    SMTPSenderRefused: 421 4.7.0 Too many messages, try again later, closing connection
    Message Count Should Be    8
    SMTP Client Should Have Retried    8
    Transcript Should Contain    *: fault at MAIL: rate limit of 2 messages in 60 seconds for the whole server reached: reply 421, room again in

The examples of Set SMTP Rate Limit
    Set SMTP Rate Limit    2    1 minute
    Set SMTP Rate Limit    10    1 minute    code=450    scope=server
    Set SMTP Rate Limit    1    10 s    451    4.7.1 Slow down    sender
    ${outcome} =    Send With smtplib    ${PORT}
    Should Be Equal    ${outcome}    sent
    ${outcome} =    Send With smtplib    ${PORT}
    Should Be Equal    ${outcome}    SMTPSenderRefused: 451 4.7.1 Slow down

Set SMTP Chaos fails the same commands for the same seed
    ${seed} =    Set SMTP Chaos    0.5    seed=42
    Should Be Equal As Integers    ${seed}    42
    ${first} =    Send Ten Messages
    Clear SMTP Faults
    Set SMTP Chaos    0.5    seed=42
    ${second} =    Send Ten Messages
    Should Be Equal    ${first}    ${second}
    Should Contain    ${first}    SMTPRecipientsRefused: 451 Requested action aborted: local error in processing
    Should Contain    ${first}    sent
    Transcript Should Contain    *: fault at RCPT: reply 451 by chaos (seed 42)

The examples of Set SMTP Chaos
    Set SMTP Chaos    0.2    seed=42
    Set SMTP Chaos    0.05    codes=451, 452    stages=RCPT, DATA_END    seed=7
    ${seed} =    Set SMTP Chaos    0.1    421    MAIL
    Should Be True    isinstance($seed, int) and $seed >= 0

Set SMTP Stall drops the connection after the stall and stores nothing
    Set SMTP Stall    100    200 ms
    ${outcome} =    Send With smtplib    ${PORT}    body_lines=20
    Should Be Equal    ${outcome}    SMTPServerDisconnected: Connection unexpectedly closed
    Message Count Should Be    0    timeout=0 s
    Set SMTP Stall    100
    ${outcome} =    Send With smtplib    ${PORT}    timeout=0.5    body_lines=20
    Should Be Equal    ${outcome}    SMTPServerDisconnected: Connection unexpectedly closed: timed out
    Wait Until Keyword Succeeds    5 s    50 ms    Transcript Should Contain    s into the stall: nothing of the message stored
    Message Count Should Be    0    timeout=0 s

The examples of Set SMTP Stall
    Set SMTP Stall    1000
    Set SMTP Stall    1000    2 s    then=continue
    Set SMTP Stall    0    500 ms    count=0
    Clear SMTP Faults
    Set SMTP Stall    10    100 ms    then=continue
    ${outcome} =    Send With smtplib    ${PORT}    body_lines=5
    Should Be Equal    ${outcome}    sent
    Message Count Should Be    1

Clear SMTP Faults clears rate limits, chaos and stalls
    Set SMTP Rate Limit    1    1 minute    scope=server
    Set SMTP Chaos    1    stages=MAIL
    Set SMTP Stall    0
    Clear SMTP Faults
    FOR    ${n}    IN RANGE    2
        ${outcome} =    Send With smtplib    ${PORT}
        Should Be Equal    ${outcome}    sent
    END

Arguments are checked when the rule is set
    [Template]    Run Keyword And Expect Error
    messages must be a positive number of messages, got 0.
    ...    Set SMTP Rate Limit    0    1 minute
    A rate limit refuses: give a 4xx code (421 also closes the connection, as providers do; 450 or 451 keep it open) or a 5xx code, got 250.
    ...    Set SMTP Rate Limit    2    1 minute    code=250
    scope must be one of connection, sender, server, got 'ip'.
    ...    Set SMTP Rate Limit    2    1 minute    scope=ip
    ValueError: Argument 'per' got value 'often' that cannot be converted to timedelta: Invalid time string 'often'.
    ...    Set SMTP Rate Limit    2    often
    probability must be a number from 0 to 1 (0.2 fails one command in five), or a percentage such as 20%, got 20.0.
    ...    Set SMTP Chaos    20
    Chaos fails commands: give 4xx codes (the client should retry, e.g. 451) or 5xx codes (e.g. 554), got 250.
    ...    Set SMTP Chaos    0.1    codes=250
    Unknown SMTP stage 'HELLO': expected one of CONNECT, EHLO, MAIL, RCPT, DATA, DATA_END, AUTH, STARTTLS.
    ...    Set SMTP Chaos    0.1    stages=RCPT, HELLO
    seed must be a whole number, 0 or more, got -1.
    ...    Set SMTP Chaos    0.1    seed=-1
    after_bytes must be a number of bytes, 0 or more, got -1.
    ...    Set SMTP Stall    -1
    then must be one of disconnect, continue, got 'wait'.
    ...    Set SMTP Stall    100    then=wait

The keywords need a server
    [Setup]    NONE
    [Template]    Run Keyword And Expect Error
    No SMTP server has been started.    Set SMTP Rate Limit    2    1 minute
    No SMTP server has been started.    Set SMTP Chaos    0.1
    No SMTP server has been started.    Set SMTP Stall    100


*** Keywords ***
Start Server For Test
    ${port} =    Start SMTP Server
    Set Test Variable    ${PORT}    ${port}

Transcript Should Contain
    [Arguments]    ${text}
    ${sessions} =    Get SMTP Transcript
    Should Contain    ${{ '\n'.join(s.text for s in $sessions) }}    ${text}

Send Twice On One Connection
    ${outcome} =    Send Messages On One Connection    ${PORT}    2
    RETURN    ${outcome}

Send Ten Messages
    @{outcomes} =    Create List
    FOR    ${n}    IN RANGE    10
        ${outcome} =    Send With smtplib    ${PORT}
        Append To List    ${outcomes}    ${outcome}
    END
    RETURN    ${outcomes}
