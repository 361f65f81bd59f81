*** Settings ***
Documentation     Fault injection: every stage and every action, seen by smtplib and by swaks
...               (a client this project did not write), the transcript, retries, and each
...               keyword's failures, including AUTH and STARTTLS on a server that offers them (and
...               only there: a rule waits for a command the server would process).
Library           SMTPLibrary    timeout=2 s
Library           Collections
Library           Process
Library           FaultClient.py
Test Setup        Start Server For Test
Test Teardown     Stop All SMTP Servers


*** Variables ***
${PORT}           ${None}
${GREYLISTED}     451 4.7.1 Greylisted, try again later


*** Test Cases ***
smtplib is refused at each stage
    [Template]    smtplib Is Refused
    CONNECT     421    SMTPConnectError: 421 Service not available, closing transmission channel
    EHLO        554    SMTPHeloError: 554 Transaction failed    count=2
    MAIL        451    SMTPSenderRefused: 451 Requested action aborted: local error in processing
    RCPT        452    SMTPRecipientsRefused: 452 Requested action not taken: insufficient system storage
    DATA        451    SMTPDataError: 451 Requested action aborted: local error in processing
    DATA_END    550    SMTPDataError: 550 Requested action not taken: mailbox unavailable

smtplib waits at each stage and is then served normally
    [Template]    smtplib Is Delayed
    CONNECT
    EHLO
    MAIL
    RCPT
    DATA
    DATA_END

smtplib is dropped at each stage and nothing is stored
    [Template]    smtplib Is Dropped
    CONNECT
    EHLO
    MAIL
    RCPT
    DATA
    DATA_END

smtplib sees the faults at AUTH and STARTTLS of a server offering them
    ${port} =    Start SMTP Server    tls=starttls    credentials=user:password    allow_plaintext_auth=True
    ...    alias=secure
    Set SMTP Reply    AUTH    454    Temporary authentication failure
    ${reply} =    Send SMTP Command    ${port}    AUTH PLAIN AHVzZXIAcGFzc3dvcmQ=
    Should Be Equal    ${reply}    454 Temporary authentication failure
    Set SMTP Reply    STARTTLS    454    TLS not available due to temporary reason
    ${reply} =    Send SMTP Command    ${port}    STARTTLS
    Should Be Equal    ${reply}    454 TLS not available due to temporary reason
    Set SMTP Delay    AUTH    100 ms
    Set SMTP Delay    STARTTLS    100 ms
    ${reply} =    Send SMTP Command    ${port}    AUTH PLAIN AHVzZXIAcGFzc3dvcmQ=
    Should Be Equal    ${reply}    235 2.7.0 Authentication successful
    ${reply} =    Send SMTP Command    ${port}    STARTTLS
    Should Be Equal    ${reply}    220 Ready to start TLS
    Set SMTP Disconnect    AUTH
    Set SMTP Disconnect    STARTTLS
    ${reply} =    Send SMTP Command    ${port}    AUTH LOGIN
    Should Be Equal    ${reply}    SMTPServerDisconnected: Connection unexpectedly closed
    ${reply} =    Send SMTP Command    ${port}    STARTTLS
    Should Be Equal    ${reply}    SMTPServerDisconnected: Connection unexpectedly closed
    ${sessions} =    Get SMTP Transcript
    Should Be Equal    ${sessions[0].commands}[1]    AUTH PLAIN ********
    Should Contain    ${sessions[2].text}    *: fault at AUTH: wait 0.1 s
    Should Contain    ${sessions[3].text}    *: fault at STARTTLS: wait 0.1 s
    Should Be True    ${sessions[4].dropped} and ${sessions[5].dropped}

Faults at AUTH and STARTTLS wait for a command the server would process
    Set SMTP Reply    AUTH    454    Temporary authentication failure
    Set SMTP Disconnect    STARTTLS
    ${reply} =    Send SMTP Command    ${PORT}    AUTH PLAIN AHVzZXIAcGFzc3dvcmQ=
    Should Be Equal    ${reply}    502 5.5.1 AUTH not available: the server has no credentials
    ${reply} =    Send SMTP Command    ${PORT}    STARTTLS
    Should Be Equal    ${reply}    454 TLS not available
    Transcript Should Not Contain    fault at
    ${port} =    Start SMTP Server    tls=starttls    credentials=user:password    alias=secure
    Set SMTP Reply    AUTH    454    Temporary authentication failure
    ${reply} =    Send SMTP Command    ${port}    AUTH PLAIN AHVzZXIAcGFzc3dvcmQ=
    Should Be Equal    ${reply}    538 5.7.11 Encryption required for requested authentication mechanism
    Transcript Should Not Contain    fault at

swaks sees the faults at AUTH and STARTTLS of a server offering them
    ${port} =    Start SMTP Server    tls=starttls    credentials=user:s3cret-passw0rd    alias=secure
    Set Test Variable    ${PORT}    ${port}
    Set SMTP Reply    AUTH    535    5.7.8 Go away
    ${result} =    Run Swaks With TLS And Login
    Should Be Equal As Integers    ${result.rc}    28    ${result.stdout}${result.stderr}
    Should Contain    ${result.stdout}    <~* 535 5.7.8 Go away
    Set SMTP Delay    AUTH    100 ms
    ${result} =    Run Swaks With TLS And Login
    Should Be Equal As Integers    ${result.rc}    0    ${result.stdout}${result.stderr}
    Set SMTP Disconnect    AUTH
    ${result} =    Run Swaks With TLS And Login
    Should Contain    ${result.stdout}${result.stderr}    Remote host closed connection unexpectedly
    Set SMTP Reply    STARTTLS    454    TLS not available due to temporary reason
    ${result} =    Run Swaks With TLS And Login
    Should Be Equal As Integers    ${result.rc}    29    ${result.stdout}${result.stderr}
    Should Contain    ${result.stdout}    <** 454 TLS not available due to temporary reason
    Set SMTP Delay    STARTTLS    100 ms
    ${result} =    Run Swaks With TLS And Login
    Should Be Equal As Integers    ${result.rc}    0    ${result.stdout}${result.stderr}
    Set SMTP Disconnect    STARTTLS
    ${result} =    Run Swaks With TLS And Login
    Should Not Be Equal As Integers    ${result.rc}    0
    Message Count Should Be    2
    Message Should Be Received Matching    authenticated_as=EQUALS:user    tls=yes
    ${sessions} =    Get SMTP Transcript
    Should Not Contain    ${{ '\n'.join(s.text for s in $sessions) }}    s3cret-passw0rd
    Transcript Should Contain    *: fault at AUTH: wait 0.1 s
    Transcript Should Contain    *: fault at STARTTLS: wait 0.1 s

swaks is refused at each stage
    [Template]    swaks Is Refused
    CONNECT     421    21
    EHLO        554    22    count=2
    MAIL        451    23
    RCPT        452    24
    DATA        451    25
    DATA_END    550    26

swaks waits at each stage and is then served normally
    [Template]    swaks Is Delayed
    CONNECT
    EHLO
    MAIL
    RCPT
    DATA
    DATA_END

swaks is dropped at each stage and nothing is stored
    [Template]    swaks Is Dropped
    CONNECT
    EHLO
    MAIL
    RCPT
    DATA
    DATA_END

swaks quits after a refused greeting and gets 221
    Set SMTP Reply    CONNECT    554    No SMTP service here
    ${result} =    Run Swaks
    Should Be Equal As Integers    ${result.rc}    21    ${result.stdout}
    Should Contain    ${result.stdout}    <** 554 No SMTP service here
    Should Contain    ${result.stdout}    <- \ 221 Bye

A success code keeps the command's effect with text of its own
    Set SMTP Reply    CONNECT    220    mail.example.test ESMTP ready
    Set SMTP Reply    MAIL    250    2.1.0 Sender looks fine
    Set SMTP Reply    DATA_END    250    2.0.0 Ok: queued as 4F2A1
    ${result} =    Run Swaks
    Should Be Equal As Integers    ${result.rc}    0    ${result.stdout}
    Should Contain    ${result.stdout}    <- \ 220 mail.example.test ESMTP ready
    Should Contain    ${result.stdout}    <- \ 250 2.1.0 Sender looks fine
    Should Contain    ${result.stdout}    <- \ 250 2.0.0 Ok: queued as 4F2A1
    Message Count Should Be    1

A multi-line reply
    Set SMTP Reply    MAIL    550    Sender blocked\nSee https://example.test/blocked
    ${result} =    Run Swaks
    Should Contain    ${result.stdout}    <** 550-Sender blocked\n<** 550 See https://example.test/blocked

Rules fire in the order added and as many times as counted
    Set SMTP Reply    RCPT    452    count=2
    Set SMTP Reply    RCPT    550    No such user
    @{outcomes} =    Create List
    FOR    ${n}    IN RANGE    4
        ${outcome} =    Send With smtplib    ${PORT}
        Append To List    ${outcomes}    ${outcome}
    END
    Should Be Equal    ${outcomes}    ${{ ['SMTPRecipientsRefused: 452 Requested action not taken: insufficient system storage'] * 2 + ['SMTPRecipientsRefused: 550 No such user', 'sent'] }}

Count 0 fires until the faults are cleared
    Set SMTP Reply    MAIL    451    count=0
    FOR    ${n}    IN RANGE    5
        ${outcome} =    Send With smtplib    ${PORT}
        Should Start With    ${outcome}    SMTPSenderRefused: 451
    END
    Clear SMTP Faults
    ${outcome} =    Send With smtplib    ${PORT}
    Should Be Equal    ${outcome}    sent

Conditions match only what they should
    Set SMTP Reply    RCPT    550    count=0    recipient=EQUALS:bob@example.com
    Set SMTP Reply    MAIL    451    count=0    sender=^bounce@
    ${outcome} =    Send With smtplib    ${PORT}    recipients=alice@example.com,bob@example.com
    Should Be Equal    ${outcome}    sent, but refused: bob@example.com 550 Requested action not taken: mailbox unavailable
    ${outcome} =    Send With smtplib    ${PORT}    recipients=bob@example.com.test
    Should Be Equal    ${outcome}    sent
    ${outcome} =    Send With smtplib    ${PORT}    sender=bounce@example.com    recipients=alice@example.com
    Should Start With    ${outcome}    SMTPSenderRefused: 451
    ${outcome} =    Send With smtplib    ${PORT}    sender=app@bounce.example.com    recipients=alice@example.com
    Should Be Equal    ${outcome}    sent
    Message Count Should Be    3

A delay keeps other connections served
    Set SMTP Delay    DATA_END    30 s    sender=EQUALS:slow@example.com
    ${slow} =    Start Process    swaks    --server    127.0.0.1:${PORT}    --from    slow@example.com
    ...    --to    bob@example.com    --timeout    60
    Wait Until Keyword Succeeds    5 s    50 ms    Transcript Should Contain    *: fault at DATA_END: wait 30 s
    ${outcome} =    Send With smtplib    ${PORT}    sender=fast@example.com
    Should Be Equal    ${outcome}    sent
    Message Should Be Received Matching    sender=EQUALS:fast@example.com
    Process Should Be Running    ${slow}
    Stop SMTP Server
    ${result} =    Wait For Process    ${slow}    timeout=10 s    on_timeout=kill
    Should Be Equal As Integers    ${result.rc}    6    ${result.stdout}
    Message Should Not Be Received Matching    sender=slow@

A message delayed at DATA_END is stored once
    Set SMTP Delay    DATA_END    200 ms
    ${outcome} =    Send With smtplib    ${PORT}
    Should Be Equal    ${outcome}    sent
    Message Count Should Be    1

Reset Mailbox leaves the faults alone and forgets the transcript
    Set SMTP Reply    MAIL    451    count=2
    Send With smtplib    ${PORT}
    Reset Mailbox
    ${sessions} =    Get SMTP Transcript
    Should Be Empty    ${sessions}
    ${outcome} =    Send With smtplib    ${PORT}
    Should Start With    ${outcome}    SMTPSenderRefused: 451
    ${sessions} =    Get SMTP Transcript
    Should Be Equal As Integers    ${sessions[0].number}    1

Get SMTP Transcript shows commands and replies, newest last, with credentials masked
    Set SMTP Reply    RCPT    ${GREYLISTED.split()[0]}    ${GREYLISTED[4:]}
    Send With smtplib    ${PORT}
    Send SMTP Command    ${PORT}    AUTH PLAIN AHVzZXIAc2VjcmV0LXB3
    ${sessions} =    Get SMTP Transcript
    Length Should Be    ${sessions}    2
    Should Be Equal    ${sessions[0].commands[0]}    ehlo smtplib.test
    Should Start With    ${sessions[0].commands[1]}    MAIL FROM:<app@example.com> SIZE=    ignore_case=True
    Should Be Equal    ${{ [c.upper() for c in $sessions[0].commands[2:]] }}    ${{ ['RCPT TO:<BOB@EXAMPLE.COM>', 'RSET', 'QUIT'] }}
    Should Contain    ${sessions[0].replies}    ${GREYLISTED}
    Should Contain    ${sessions[0].text}    C: RCPT TO:<bob@example.com>\n*: fault at RCPT: reply 451\nS: ${GREYLISTED}    ignore_case=True
    Should Be Equal    ${sessions[1].commands}[1]    AUTH PLAIN ********
    Should Not Contain    ${sessions[1].text}    AHVzZXIAc2VjcmV0LXB3
    Should Start With    ${{ str($sessions[1]) }}    Session 2 from 127.0.0.1:

A session reads as its dialogue
    Send With smtplib    ${PORT}
    ${sessions} =    Get SMTP Transcript
    ${session} =    Set Variable    ${sessions}[0]
    Log    ${session}
    Should Contain    ${session}    S: 250 OK
    Should Not Contain    ${session}    S: 550
    ${text} =    Convert To String    ${session}
    Should Start With    ${text}    Session 1 from 127.0.0.1:
    Should Contain    ${text}    \nC: QUIT\nS: 221 Bye

SMTP Client Should Have Retried
    Set SMTP Reply    RCPT    451    count=2
    FOR    ${n}    IN RANGE    3
        Send With smtplib    ${PORT}
    END
    SMTP Client Should Have Retried    2
    Run Keyword And Expect Error    The client should have retried 1 time but had already retried 2 times. 3 attempts:\n1) session 1 from 127.0.0.1:*
    ...    SMTP Client Should Have Retried    1
    Run Keyword And Expect Error    The client should have retried 3 times but retried 2 times in 100 milliseconds. 3 attempts:\n1) session 1 from 127.0.0.1:* -> 451 *\n2) * -> 451 *\n3) * -> 250 OK
    ...    SMTP Client Should Have Retried    3    timeout=100 ms

SMTP Client Should Have Retried counts sessions refused before MAIL
    Set SMTP Reply    CONNECT    421
    Set SMTP Disconnect    EHLO
    FOR    ${n}    IN RANGE    3
        Send With smtplib    ${PORT}
    END
    SMTP Client Should Have Retried    2    timeout=0 s

SMTP Client Should Have Retried fails when the client made no attempt
    Run Keyword And Expect Error    The client should have retried 0 times but made no attempt to send in 0 seconds.
    ...    SMTP Client Should Have Retried    0    timeout=0 s

Arguments are checked when the rule is set
    [Template]    Run Keyword And Expect Error
    Unknown SMTP stage 'HELLO': expected one of CONNECT, EHLO, MAIL, RCPT, DATA, DATA_END, AUTH, STARTTLS.
    ...    Set SMTP Reply    HELLO    451
    Reply code 600 is not an SMTP reply code: give 4xx to refuse for now (the client should retry later, e.g. 451 or 452), 5xx to refuse for good (e.g. 550 or 554), or a success code with text of your own at CONNECT (220), MAIL (250), RCPT (250, 251), DATA_END (250).
    ...    Set SMTP Reply    RCPT    600
    Reply code 250 makes no sense at EHLO: give 4xx to refuse for now (e.g. 451) or 5xx to refuse for good (e.g. 554). Success codes accepted at EHLO: none: the server can only refuse or delay it.
    ...    Set SMTP Reply    ehlo    250
    The reply text must be printable ASCII (SMTP replies are 7-bit; a newline starts another line of a multi-line reply), got 'Grüße'.
    ...    Set SMTP Reply    MAIL    550    Grüße
    A sender condition makes no sense at CONNECT: the client names the sender with MAIL FROM, which comes later. Use it at MAIL, RCPT, DATA, DATA_END.
    ...    Set SMTP Disconnect    CONNECT    sender=app@
    A recipient condition only works at RCPT, where each RCPT TO names one recipient: at DATA_END a message may have several recipients; refuse the RCPT of that recipient instead.
    ...    Set SMTP Delay    DATA_END    1 s    recipient=bob@
    The delay must be 0 seconds or more, got -1.0.
    ...    Set SMTP Delay    DATA    -1 s
    count must be 0 (every time, until cleared) or a positive number, got -1.
    ...    Set SMTP Disconnect    MAIL    count=-1
    Invalid regular expression in sender='(': *
    ...    Set SMTP Reply    MAIL    451    sender=REGEXP:(
    Unknown argument 'stge' in stage='stge=RCPT': the arguments are stage, code, text, count, sender, recipient. Did you mean stage?
    ...    Set SMTP Reply    stge=RCPT    451
    Unknown argument 'stag' in stage='stag=DATA': the arguments are stage, delay, count, sender, recipient. Did you mean stage?
    ...    Set SMTP Delay    stag=DATA    1 s
    Unknown argument 'cont' in stage='cont=2': the arguments are stage, count, sender, recipient. Did you mean count?
    ...    Set SMTP Disconnect    cont=2
    ValueError: Argument 'count' got value 'retries=2' that cannot be converted to RetryCount: Unknown argument 'retries' in count='retries=2': the arguments are count, timeout.
    ...    SMTP Client Should Have Retried    retries=2
    ValueError: Argument 'count' got value 'twice' that cannot be converted to RetryCount: expected a whole number such as 2, got 'twice'.
    ...    SMTP Client Should Have Retried    twice
    The number of retries must be 0 or more, got -1.
    ...    SMTP Client Should Have Retried    -1

Fault keywords need a server
    [Setup]    NONE
    [Template]    Run Keyword And Expect Error
    No SMTP server has been started.    Set SMTP Reply    RCPT    451
    No SMTP server has been started.    Set SMTP Delay    RCPT    1 s
    No SMTP server has been started.    Set SMTP Disconnect    RCPT
    No SMTP server has been started.    Clear SMTP Faults
    No SMTP server has been started.    Get SMTP Transcript
    No SMTP server has been started.    SMTP Client Should Have Retried    1

Faults belong to the current server
    Set SMTP Reply    MAIL    451    count=0
    ${other} =    Start SMTP Server    alias=other
    ${outcome} =    Send With smtplib    ${other}
    Should Be Equal    ${outcome}    sent
    Switch SMTP Server    1
    ${outcome} =    Send With smtplib    ${PORT}
    Should Start With    ${outcome}    SMTPSenderRefused: 451


*** Keywords ***
Start Server For Test
    ${port} =    Start SMTP Server
    Set Test Variable    ${PORT}    ${port}

Transcript Should Contain
    [Arguments]    ${text}
    ${sessions} =    Get SMTP Transcript
    Should Contain    ${{ '\n'.join(s.text for s in $sessions) }}    ${text}

Transcript Should Not Contain
    [Arguments]    ${text}
    ${sessions} =    Get SMTP Transcript
    Should Not Contain    ${{ '\n'.join(s.text for s in $sessions) }}    ${text}

Last Session Should Show
    [Arguments]    ${text}
    ${sessions} =    Get SMTP Transcript
    Should Contain    ${sessions[-1].text}    ${text}

smtplib Is Refused
    [Arguments]    ${stage}    ${code}    ${expected}    ${count}=1
    Set SMTP Reply    ${stage}    ${code}    count=${count}
    ${outcome} =    Send With smtplib    ${PORT}
    Should Be Equal    ${outcome}    ${expected}
    Last Session Should Show    *: fault at ${stage}: reply ${code}
    Message Count Should Be    0    timeout=0 s

smtplib Is Delayed
    [Arguments]    ${stage}
    Set SMTP Delay    ${stage}    100 ms
    ${outcome} =    Send With smtplib    ${PORT}
    Should Be Equal    ${outcome}    sent
    Last Session Should Show    *: fault at ${stage}: wait 0.1 s
    Message Count Should Be    1
    Reset Mailbox

smtplib Is Dropped
    [Arguments]    ${stage}
    Set SMTP Disconnect    ${stage}
    ${outcome} =    Send With smtplib    ${PORT}
    Should Be Equal    ${outcome}    SMTPServerDisconnected: Connection unexpectedly closed
    ${sessions} =    Get SMTP Transcript
    Should Be True    ${sessions[-1].dropped}
    Should Be Equal    ${sessions[-1].entries[-1].text}    fault at ${stage}: drop the connection
    Message Count Should Be    0    timeout=0 s

Run Swaks
    [Arguments]    @{options}
    ${result} =    Run Process    swaks    --server    127.0.0.1:${PORT}    --from    app@example.com
    ...    --to    bob@example.com    @{options}
    RETURN    ${result}

Run Swaks With TLS And Login
    ${ca} =    Get SMTP Server CA Certificate
    ${result} =    Run Swaks    --tls    --tls-verify    --tls-ca-path    ${ca}
    ...    --auth    PLAIN    --auth-user    user    --auth-password    s3cret-passw0rd
    RETURN    ${result}

swaks Is Refused
    [Arguments]    ${stage}    ${code}    ${exit code}    ${count}=1
    Set SMTP Reply    ${stage}    ${code}    count=${count}
    ${result} =    Run Swaks
    Should Be Equal As Integers    ${result.rc}    ${exit code}    ${result.stdout}${result.stderr}
    Should Match Regexp    ${result.stdout}    (?m)^<\\*\\* ${code} 
    Last Session Should Show    *: fault at ${stage}: reply ${code}
    Message Count Should Be    0    timeout=0 s

swaks Is Delayed
    [Arguments]    ${stage}
    Set SMTP Delay    ${stage}    100 ms
    ${result} =    Run Swaks
    Should Be Equal As Integers    ${result.rc}    0    ${result.stdout}${result.stderr}
    Last Session Should Show    *: fault at ${stage}: wait 0.1 s
    Message Count Should Be    1
    Reset Mailbox

swaks Is Dropped
    [Arguments]    ${stage}
    Set SMTP Disconnect    ${stage}
    ${result} =    Run Swaks
    Should Be Equal As Integers    ${result.rc}    6    ${result.stdout}${result.stderr}
    Should Contain    ${result.stderr}    *** Remote host closed connection unexpectedly.
    ${sessions} =    Get SMTP Transcript
    Should Be True    ${sessions[-1].dropped}
    Message Count Should Be    0    timeout=0 s
