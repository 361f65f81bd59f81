*** Settings ***
Documentation     TLS, login, size and international mail, driven by clients this project did not write:
...               Python's smtplib, swaks and curl. Each verifies the server's certificate against
...               `Get SMTP Server CA Certificate`. A missing client is a failure, not a skip.
Library           SMTPLibrary    timeout=2 s
Library           SecureMailer.py
Library           Mailer.py
Library           Process
Library           OperatingSystem
Library           Collections
Test Teardown     Stop All SMTP Servers


*** Variables ***
@{CLIENTS}        smtplib    swaks    curl
${PASSWORD}       pa:ss
${CURL MAIL}      ${OUTPUT DIR}${/}curl-mail.eml


*** Test Cases ***
STARTTLS with each client
    ${port} =    Start SMTP Server    tls=starttls
    ${ca} =    Get SMTP Server CA Certificate
    FOR    ${client}    IN    @{CLIENTS}
        Send    ${client}    ${port}    tls=starttls    ca=${ca}    subject=STARTTLS by ${client}
        ${msg} =    Message Should Be Received Matching    subject=EQUALS:STARTTLS by ${client}    tls=yes
        Should Be Equal    ${msg.tls}[mode]    starttls
        Should Match Regexp    ${msg.tls}[version]    ^TLSv1\\.[23]$
        Should Not Be Empty    ${msg.tls}[cipher]
        Should Be Equal    ${msg.authenticated_as}    ${None}
    END

Implicit TLS with each client
    ${port} =    Start SMTP Server    tls=implicit
    ${ca} =    Get SMTP Server CA Certificate
    FOR    ${client}    IN    @{CLIENTS}
        Send    ${client}    ${port}    tls=implicit    ca=${ca}    subject=Implicit TLS by ${client}
        ${msg} =    Message Should Be Received Matching    subject=EQUALS:Implicit TLS by ${client}    tls=yes
        Should Be Equal    ${msg.tls}[mode]    implicit
    END

Each client verifies the certificate and refuses it without the CA file
    ${port} =    Start SMTP Server    tls=starttls
    ${ca} =    Get SMTP Server CA Certificate
    Should Be Equal    ${{ pathlib.Path($ca).read_text()[:27] }}    -----BEGIN CERTIFICATE-----
    Run Keyword And Expect Error    *CERTIFICATE_VERIFY_FAILED*    Send Mail With Smtplib    ${port}    tls=starttls
    ${result} =    Run swaks    ${port}    tls=starttls
    Should Contain    ${result.stdout}${result.stderr}    certificate verify failed
    ${result} =    Run curl    ${port}    tls=starttls
    Should Be Equal As Integers    ${result.rc}    60    curl accepted an unknown certificate: ${result.stderr}
    Message Count Should Be    0
    Send    smtplib    ${port}    tls=starttls    ca=${ca}

require_tls refuses mail before STARTTLS with 530
    ${port} =    Start SMTP Server    tls=starttls    require_tls=True
    ${ca} =    Get SMTP Server CA Certificate
    FOR    ${client}    IN    @{CLIENTS}
        Sending Should Fail    ${client}    530 Must issue a STARTTLS command first    ${port}
        Send    ${client}    ${port}    tls=starttls    ca=${ca}    subject=After STARTTLS by ${client}
    END
    Message Count Should Be    3
    ${plain} =    Get Messages    tls=no
    Should Be Empty    ${plain}

Login over STARTTLS with each client and mechanism
    ${port} =    Start SMTP Server    tls=starttls    credentials=alice:${PASSWORD}, bob:other    auth_required=True
    ${ca} =    Get SMTP Server CA Certificate
    FOR    ${client}    ${mechanism}    IN
    ...    smtplib    PLAIN    smtplib    LOGIN    swaks    PLAIN    swaks    LOGIN    curl    PLAIN    curl    LOGIN
        Send    ${client}    ${port}    tls=starttls    ca=${ca}    user=alice    password=${PASSWORD}
        ...    mechanism=${mechanism}    subject=${mechanism} by ${client}
        ${msg} =    Message Should Be Received Matching    subject=EQUALS:${mechanism} by ${client}
        ...    authenticated_as=EQUALS:alice    tls=yes
    END
    Send    curl    ${port}    tls=starttls    ca=${ca}    user=bob    password=other    subject=Bob
    Message Should Be Received Matching    authenticated_as=^bob$    subject=^Bob$

Login over implicit TLS with each client
    ${port} =    Start SMTP Server    tls=implicit    credentials=alice:${PASSWORD}    auth_required=True
    ${ca} =    Get SMTP Server CA Certificate
    FOR    ${client}    IN    @{CLIENTS}
        Send    ${client}    ${port}    tls=implicit    ca=${ca}    user=alice    password=${PASSWORD}
        ...    subject=Login by ${client}
        ${msg} =    Message Should Be Received Matching    subject=EQUALS:Login by ${client}    authenticated_as=alice
        Should Be Equal    ${msg.tls}[mode]    implicit
    END

auth_required refuses mail before login with 530
    ${port} =    Start SMTP Server    tls=starttls    credentials=alice:${PASSWORD}    auth_required=True
    ${ca} =    Get SMTP Server CA Certificate
    FOR    ${client}    IN    @{CLIENTS}
        Sending Should Fail    ${client}    530 5.7.0 Authentication required    ${port}    tls=starttls    ca=${ca}
    END
    Message Count Should Be    0

A wrong password gets 535 at once from each client
    ${port} =    Start SMTP Server    tls=implicit    credentials=alice:${PASSWORD}    auth_required=True
    ${ca} =    Get SMTP Server CA Certificate
    FOR    ${client}    IN    @{CLIENTS}
        Sending Should Fail    ${client}    535 5.7.8 Authentication credentials invalid    ${port}
        ...    tls=implicit    ca=${ca}    user=alice    password=wrong
        Sending Should Fail    ${client}    535 5.7.8 Authentication credentials invalid    ${port}
        ...    tls=implicit    ca=${ca}    user=mallory    password=${PASSWORD}
    END
    Message Count Should Be    0

Login on a plain connection is refused with 538 and not advertised
    ${port} =    Start SMTP Server    tls=starttls    credentials=alice:${PASSWORD}
    ${ca} =    Get SMTP Server CA Certificate
    ${plain} =    Get EHLO Keywords    ${port}
    Should Not Contain    ${plain}    AUTH
    ${secure} =    Get EHLO Keywords    ${port}    tls=starttls    ca=${ca}
    Should Contain    ${secure}    AUTH
    ${reply} =    SMTP Reply    ${port}    AUTH PLAIN ${{ base64.b64encode(b'\\0alice\\0pa:ss').decode() }}
    Should Be Equal    ${reply}    538 5.7.11 Encryption required for requested authentication mechanism
    ${result} =    Run swaks    ${port}    user=alice    password=${PASSWORD}
    Should Contain    ${result.stdout}${result.stderr}    Host did not advertise authentication
    # curl logs in only when the server offers it: the message goes without login, the password stays home.
    Send    curl    ${port}    user=alice    password=${PASSWORD}    subject=Without login
    ${msg} =    Message Should Be Received Matching    subject=Without login    tls=no
    Should Be Equal    ${msg.authenticated_as}    ${None}
    Message Should Not Be Received Matching    authenticated_as=.

allow_plaintext_auth accepts login without TLS
    ${port} =    Start SMTP Server    credentials=alice:${PASSWORD}    allow_plaintext_auth=True    auth_required=True
    FOR    ${client}    IN    @{CLIENTS}
        Send    ${client}    ${port}    user=alice    password=${PASSWORD}    subject=Plain login by ${client}
        Message Should Be Received Matching    subject=EQUALS:Plain login by ${client}    authenticated_as=alice    tls=no
    END

A message larger than size_limit gets 552 with and without SIZE
    ${port} =    Start SMTP Server    size_limit=1000
    ${features} =    Get EHLO Keywords    ${port}
    Should Contain    ${features}    SIZE
    ${big} =    Evaluate    ('x' * 70 + '\\n') * 30
    # smtplib and curl announce the size in MAIL FROM; swaks does not and is refused after the data.
    Sending Should Fail    smtplib    552 Error: message size exceeds fixed maximum message size    ${port}    body=${big}
    Sending Should Fail    curl    552 Error: message size exceeds fixed maximum message size    ${port}    body=${big}
    Sending Should Fail    swaks    552 Error: Too much mail data    ${port}    body=${big}
    Message Count Should Be    0
    FOR    ${client}    IN    @{CLIENTS}
        Send    ${client}    ${port}    body=small    subject=Small by ${client}
    END
    Message Count Should Be    3

UTF-8 addresses and 8-bit bodies arrive byte for byte
    ${port} =    Start SMTP Server
    ${features} =    Get EHLO Keywords    ${port}
    Should Contain    ${features}    SMTPUTF8
    Should Contain    ${features}    8BITMIME
    ${source} =    Set Variable    From: jörg@bücher.example\r\nSubject: Grüße\r\n\r\nÄpfel, Birnen, 日本語\r\n
    Send Mail With Smtplib    ${port}    sender=jörg@bücher.example    recipients=zoë@exämple.com
    ...    source=${{ $source.encode() }}    mail_options=${{ ['SMTPUTF8', 'BODY=8BITMIME'] }}
    ${msg} =    Message Should Be Received Matching    sender=EQUALS:jörg@bücher.example
    Should Be Equal    ${msg.raw}    ${{ $source.encode() }}
    Should Be Equal    ${msg.recipients}    ${{ ['zoë@exämple.com'] }}
    Should Be Equal    ${msg.subject}    Grüße
    Should Be Equal    ${msg.mail_options}    ${{ ['SIZE=%d' % len($source.encode()), 'SMTPUTF8', 'BODY=8BITMIME'] }}
    Should Be Equal    ${msg.rcpt_options}    ${{ [] }}
    Should Be Equal    ${msg.helo}    smtplib.test
    # curl turns domains into punycode, never the local part.
    Send    curl    ${port}    sender=jörg@example.com    source=${source}
    ${msg} =    Message Should Be Received Matching    sender=EQUALS:jörg@example.com
    Should Be Equal    ${msg.raw}    ${{ $source.encode() }}
    Should Contain    ${msg.mail_options}    SMTPUTF8
    Send    swaks    ${port}    sender=zoë@example.com    body=Äpfel, Birnen, 日本語
    ${msg} =    Message Should Be Received Matching    sender=EQUALS:zoë@example.com
    Should Contain    ${msg.raw}    ${{ 'Äpfel, Birnen, 日本語\r\n'.encode() }}

A server without smtputf8 refuses UTF-8 addresses
    ${port} =    Start SMTP Server    smtputf8=False
    ${features} =    Get EHLO Keywords    ${port}
    Should Not Contain    ${features}    SMTPUTF8
    Should Not Contain    ${features}    8BITMIME
    Run Keyword And Expect Error    SMTPNotSupportedError: *SMTPUTF8*
    ...    Send Mail With Smtplib    ${port}    sender=jörg@example.com    mail_options=${{ ['SMTPUTF8'] }}
    Sending Should Fail    curl    500 Error: strict ASCII mode    ${port}    sender=jörg@example.com
    Sending Should Fail    swaks    500 Error: strict ASCII mode    ${port}    sender=jörg@example.com
    Message Count Should Be    0

Credentials as a list, a dictionary and Robot secrets
    ${port} =    Start SMTP Server    tls=starttls    credentials=${{ ['alice:a,b', 'bob:c:d'] }}
    ${ca} =    Get SMTP Server CA Certificate
    Send    smtplib    ${port}    tls=starttls    ca=${ca}    user=alice    password=a,b
    Send    smtplib    ${port}    tls=starttls    ca=${ca}    user=bob    password=c:d
    Stop SMTP Server
    ${port} =    Start SMTP Server    tls=implicit    credentials=${{ {'carol': 'e,f:g'} }}
    Send    smtplib    ${port}    tls=implicit    ca=${ca}    user=carol    password=e,f:g
    Stop SMTP Server
    ${secret} =    Evaluate    robot.api.types.Secret('dave:h:i')    modules=robot.api.types
    ${port} =    Start SMTP Server    tls=starttls    credentials=${secret}
    Send    smtplib    ${port}    tls=starttls    ca=${ca}    user=dave    password=h:i
    Stop SMTP Server
    ${secret} =    Evaluate    robot.api.types.Secret('j,k')    modules=robot.api.types
    ${port} =    Start SMTP Server    tls=starttls    credentials=${{ {'erin': $secret} }}
    Send    smtplib    ${port}    tls=starttls    ca=${ca}    user=erin    password=j,k
    Switch SMTP Server    1
    Message Should Be Received Matching    authenticated_as=alice
    Message Should Be Received Matching    authenticated_as=bob
    FOR    ${alias}    ${user}    IN    2    carol    3    dave    4    erin
        Switch SMTP Server    ${alias}
        Message Should Be Received Matching    authenticated_as=EQUALS:${user}
    END

Criteria about how a message arrived
    ${port} =    Start SMTP Server    tls=starttls    credentials=alice:${PASSWORD}
    ${ca} =    Get SMTP Server CA Certificate
    Send    smtplib    ${port}    subject=Plain
    Send    smtplib    ${port}    tls=starttls    ca=${ca}    subject=Encrypted
    Send    smtplib    ${port}    tls=starttls    ca=${ca}    user=alice    password=${PASSWORD}    subject=Logged in
    ${messages} =    Get Messages    tls=yes
    Should Be Equal    ${{ [m.subject for m in $messages] }}    ${{ ['Encrypted', 'Logged in'] }}
    ${messages} =    Get Messages    tls=NO
    Should Be Equal    ${messages[0].subject}    Plain
    ${messages} =    Get Messages    authenticated_as=GLOB:a*
    Should Be Equal    ${messages[0].subject}    Logged in
    Message Should Not Be Received Matching    authenticated_as=bob
    Message Should Not Be Received Matching    subject=Plain    tls=yes

Criteria failures name how the message arrived
    ${port} =    Start SMTP Server
    Send    smtplib    ${port}    subject=Plain
    Run Keyword And Expect Error
    ...    No message matching authenticated_as='alice', tls='yes' arrived in 100 milliseconds. 1 message arrived, closest first:\n1) from smtplib@example.com to alice@example.com, subject 'Plain': sent without login; tls 'no' did not match 'yes'
    ...    Message Should Be Received Matching    tls=yes    authenticated_as=alice    timeout=100 ms
    Run Keyword And Expect Error
    ...    A message matching tls='no' arrived: from smtplib@example.com to alice@example.com, subject 'Plain'.
    ...    Message Should Not Be Received Matching    tls=no
    FOR    ${keyword}    IN    Get Messages    Message Should Be Received Matching    Message Should Not Be Received Matching
        Run Keyword And Expect Error    Criterion tls must be yes or no, got 'maybe'.    ${keyword}    tls=maybe
    END

Get SMTP Server CA Certificate fails without a test certificate
    Start SMTP Server
    Run Keyword And Expect Error
    ...    The SMTP server on 127.0.0.1:* has no TLS: start it with tls=starttls or tls=implicit.
    ...    Get SMTP Server CA Certificate
    ${certificate}    ${key}    ${ca} =    Make Certificate Files    ${OUTPUT DIR}
    ${port} =    Start SMTP Server    tls=implicit    certificate=${certificate}    key=${key}
    Run Keyword And Expect Error
    ...    The SMTP server on 127.0.0.1:${port} uses the certificate it was given: its CA certificate is not SMTPLibrary's to give.
    ...    Get SMTP Server CA Certificate
    Send    curl    ${port}    tls=implicit    ca=${ca}
    Send    swaks    ${port}    tls=implicit    ca=${ca}
    Message Count Should Be    2

The test CA is made once per run
    Start SMTP Server    tls=starttls
    ${first} =    Get SMTP Server CA Certificate
    Start SMTP Server    tls=implicit
    ${second} =    Get SMTP Server CA Certificate
    Should Be Equal    ${first}    ${second}

Start SMTP Server refuses wrong arguments before starting
    [Template]    Start SMTP Server Should Fail With
    tls must be one of none, starttls, implicit, got 'ssl'.    tls=ssl
    require_tls\=True needs tls\='starttls' (with 'implicit' every connection is TLS).    require_tls=True
    certificate and key need tls\='starttls' or tls\='implicit'.    certificate=server.pem
    The certificate file 'nowhere.pem' does not exist.    tls=starttls    certificate=nowhere.pem
    auth_required\=True needs credentials: the users who may log in.    auth_required=True
    credentials entry 2 is not 'user:password'.    credentials=alice:${PASSWORD}, s3cret
    credentials give user 'alice' twice.    credentials=alice:${PASSWORD}, alice:other
    size_limit must be a number of bytes, 0 for no limit, got -1.    size_limit=-1


*** Keywords ***
Start SMTP Server Should Fail With
    [Arguments]    ${error}    &{arguments}
    Run Keyword And Expect Error    EQUALS:${error}    Start SMTP Server    &{arguments}
    Run Keyword And Expect Error    No SMTP server has been started.    Get SMTP Server Port

Send
    [Documentation]    Sends with ${client} (smtplib, swaks or curl), failing unless it succeeds.
    [Arguments]    ${client}    ${port}    &{options}
    IF    $client == 'smtplib'
        Send Mail With Smtplib    ${port}    &{options}
    ELSE
        ${result} =    Run Keyword    Run ${client}    ${port}    &{options}
        Should Be Equal As Integers    ${result.rc}    0    ${client} failed:\n${result.stdout}${result.stderr}
    END

Sending Should Fail
    [Documentation]    Sends with ${client}, expecting the server's ${reply}.
    [Arguments]    ${client}    ${reply}    ${port}    &{options}
    IF    $client == 'smtplib'
        Run Keyword And Expect Error    EQUALS:${reply}    Send Mail With Smtplib    ${port}    &{options}
    ELSE
        ${result} =    Run Keyword    Run ${client}    ${port}    &{options}
        Should Not Be Equal As Integers    ${result.rc}    0    ${client} did not fail:\n${result.stdout}
        Should Contain    ${result.stdout}${result.stderr}    ${reply}
    END

Run swaks
    [Arguments]    ${port}    ${tls}=none    ${ca}=${None}    ${user}=${None}    ${password}=${None}
    ...    ${mechanism}=PLAIN,LOGIN    ${sender}=swaks@example.com    ${subject}=Sent by swaks
    ...    ${body}=Hello from swaks.
    @{command} =    Create List    swaks    --server    127.0.0.1:${port}    --helo    swaks.test
    ...    --from    ${sender}    --to    alice@example.com    --header    Subject: ${subject}    --body    ${body}
    IF    $tls == 'starttls'    Append To List    ${command}    --tls    --tls-verify
    IF    $tls == 'implicit'    Append To List    ${command}    --tls-on-connect    --tls-verify
    IF    $ca is not None    Append To List    ${command}    --tls-ca-path    ${ca}
    IF    $user is not None
        Append To List    ${command}    --auth    ${mechanism}    --auth-user    ${user}    --auth-password    ${password}
        ...    --auth-hide-password
    END
    ${result} =    Run Process    @{command}    timeout=30 s
    RETURN    ${result}

Run curl
    [Arguments]    ${port}    ${tls}=none    ${ca}=${None}    ${user}=${None}    ${password}=${None}
    ...    ${mechanism}=${None}    ${sender}=curl@example.com    ${subject}=Sent by curl
    ...    ${body}=Hello from curl.    ${source}=${None}
    IF    $source is None
        ${source} =    Set Variable    From: ${sender}\r\nTo: alice@example.com\r\nSubject: ${subject}\r\n\r\n${body}\r\n
    END
    Create Binary File    ${CURL MAIL}    ${{ $source.encode() }}
    ${scheme} =    Set Variable If    $tls == 'implicit'    smtps    smtp
    @{command} =    Create List    curl    --verbose    --silent    --show-error
    ...    ${scheme}://127.0.0.1:${port}/curl.test    --mail-from    ${sender}    --mail-rcpt    alice@example.com
    ...    --upload-file    ${CURL MAIL}
    IF    $tls == 'starttls'    Append To List    ${command}    --ssl-reqd
    IF    $ca is not None    Append To List    ${command}    --cacert    ${ca}
    IF    $user is not None    Append To List    ${command}    --user    ${user}:${password}
    IF    $mechanism is not None    Append To List    ${command}    --login-options    AUTH=${mechanism}
    ${result} =    Run Process    @{command}    timeout=30 s
    RETURN    ${result}
