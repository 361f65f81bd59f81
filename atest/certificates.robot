*** Settings ***
Documentation     Does the application check the server's certificate? Real clients this project did
...               not write (Python's smtplib with a default context, curl, swaks), each given the
...               test CA's file, meet a certificate with one defect: they refuse it, and the keyword
...               passes; turned to not check, they send, and the keyword catches them.
Library           SMTPLibrary    timeout=2 s
Library           CertificateClients.py
Library           Mailer.py
Test Teardown     Stop All SMTP Servers


*** Test Cases ***
Each client rejects each defect over STARTTLS and implicit TLS
    [Template]    Client Should Reject
    smtplib    starttls    untrusted     unknown ca
    smtplib    starttls    wrong_host    bad certificate
    smtplib    starttls    expired       certificate expired
    smtplib    implicit    untrusted     unknown ca
    smtplib    implicit    wrong_host    bad certificate
    smtplib    implicit    expired       certificate expired
    curl       starttls    untrusted     unknown ca
    curl       starttls    expired       certificate expired
    curl       implicit    untrusted     unknown ca
    curl       implicit    expired       certificate expired
    swaks      starttls    untrusted     unknown ca
    swaks      starttls    expired       certificate expired
    swaks      implicit    untrusted     unknown ca
    swaks      implicit    expired       certificate expired

curl checks the host name after the handshake, and closes without a command
    FOR    ${tls}    IN    starttls    implicit
        ${port} =    Start SMTP Server    tls=${tls}    certificate=wrong_host
        ${ca} =    Get SMTP Server CA Certificate
        Run Keyword And Expect Error    curl did not send: curl: (60) SSL: no alternative certificate subject name matches target host name '127.0.0.1'*
        ...    Send Over TLS    curl    ${port}    ${tls}    ${ca}
        SMTP Client Should Have Rejected Certificate
        ${sessions} =    Get SMTP Transcript
        Should Be Equal    ${sessions[0].tls}    completed
        Should Be Equal    ${sessions[0].commands_after_tls}    ${0}
        Should End With    ${sessions[0].text}    *: the client closed the connection after the TLS handshake without sending a command
        Message Count Should Be    0
        Stop SMTP Server
    END

swaks does not check the host name, and the keyword catches it
    ${port} =    Start SMTP Server    tls=starttls    certificate=wrong_host
    ${ca} =    Get SMTP Server CA Certificate
    Send Over TLS    swaks    ${port}    starttls    ${ca}
    Run Keyword And Expect Error
    ...    STARTS:The client accepted the certificate for another host of the SMTP server on 127.0.0.1:${port} and sent a message: a security bug in the application under test, which does not check whom it talks to.\nsession 1 from 127.0.0.1:
    ...    SMTP Client Should Have Rejected Certificate

Clients that do not check are caught
    [Template]    Client Should Be Caught
    smtplib    starttls
    smtplib    implicit
    curl       starttls
    curl       implicit
    swaks      starttls
    swaks      implicit

The failures say what happened instead
    ${port} =    Start SMTP Server    tls=starttls    certificate=untrusted
    Run Keyword And Expect Error
    ...    EQUALS:No client rejected the untrusted certificate of the SMTP server on 127.0.0.1:${port} in 200 milliseconds: no client connected.
    ...    SMTP Client Should Have Rejected Certificate    timeout=200 ms
    Send Mail    ${port}    subject=Plain
    Run Keyword And Expect Error
    ...    GLOB:No client rejected the untrusted certificate of the SMTP server on 127.0.0.1:${port} in 200 milliseconds. 1 session:\nsession 1 from 127.0.0.1:*: no TLS handshake; the client sent ehlo mailer.test, mail FROM:<app@example.com> size=*, rcpt TO:<alice@example.com>, ...
    ...    SMTP Client Should Have Rejected Certificate    timeout=200 ms
    Start SMTP Server
    Run Keyword And Expect Error
    ...    GLOB:The SMTP server on 127.0.0.1:* has no TLS: start it with tls=starttls or tls=implicit, and certificate=untrusted, wrong_host or expired.
    ...    SMTP Client Should Have Rejected Certificate

The keyword reference's example
    ${port} =    Start SMTP Server    tls=starttls    certificate=untrusted
    Set Test Variable    ${PORT}    ${port}
    Send The Newsletter
    SMTP Client Should Have Rejected Certificate
    Message Count Should Be    0
    ${port} =    Start SMTP Server    tls=starttls    certificate=expired
    ${ca} =    Get SMTP Server CA Certificate
    Run Keyword And Expect Error    *certificate has expired*    Send Over TLS    smtplib    ${port}    starttls    ${ca}
    SMTP Client Should Have Rejected Certificate
    Message Count Should Be    0

Start SMTP Server takes the certificate words, and files as before
    [Template]    Start SMTP Server Should Fail With
    certificate\=untrusted needs tls\='starttls' or tls\='implicit'.    certificate=untrusted
    certificate and key need tls\='starttls' or tls\='implicit'.    certificate=server.pem
    key goes with a certificate file only: certificate\=expired is a test certificate with a key of its own.    tls=starttls    certificate=expired    key=server.key
    key needs certificate: the PEM file of the certificate it belongs to.    tls=starttls    key=server.key
    certificate 'untrustd' is neither a file nor one of trusted, untrusted, wrong_host, expired.    tls=starttls    certificate=untrustd
    The certificate file 'nowhere.pem' does not exist.    tls=starttls    certificate=nowhere.pem

Certificate words ignore case and the CA file is the test CA's
    Start SMTP Server    tls=implicit    certificate=UNTRUSTED
    ${untrusted} =    Get SMTP Server CA Certificate
    Start SMTP Server    tls=implicit
    ${trusted} =    Get SMTP Server CA Certificate
    Should Be Equal    ${untrusted}    ${trusted}


*** Keywords ***
Client Should Reject
    [Arguments]    ${client}    ${tls}    ${certificate}    ${alert}
    ${port} =    Start SMTP Server    tls=${tls}    certificate=${certificate}
    ${ca} =    Get SMTP Server CA Certificate
    Run Keyword And Expect Error    ${client} did not send: *    Send Over TLS    ${client}    ${port}    ${tls}    ${ca}
    SMTP Client Should Have Rejected Certificate
    ${sessions} =    Get SMTP Transcript
    Should Be Equal    ${sessions[-1].tls}    failed
    Should Be Equal    ${sessions[-1].tls_alert}    ${alert}
    Should Contain    ${sessions[-1].text}    *: the client ended the TLS handshake with the alert '${alert}'
    Message Count Should Be    0
    [Teardown]    Stop SMTP Server

Client Should Be Caught
    [Arguments]    ${client}    ${tls}
    ${port} =    Start SMTP Server    tls=${tls}    certificate=untrusted
    Send Over TLS    ${client}    ${port}    ${tls}    verify=False
    Run Keyword And Expect Error
    ...    STARTS:The client accepted the untrusted certificate of the SMTP server on 127.0.0.1:${port} and sent a message: a security bug in the application under test, which does not check whom it talks to.\nsession 1 from 127.0.0.1:
    ...    SMTP Client Should Have Rejected Certificate
    Message Count Should Be    1
    [Teardown]    Stop SMTP Server

Send The Newsletter
    [Documentation]    The application under test: it checks the certificate with the test CA's file.
    ${ca} =    Get SMTP Server CA Certificate
    Run Keyword And Expect Error    *CERTIFICATE_VERIFY_FAILED*    Send Over TLS    smtplib    ${PORT}    starttls    ${ca}

Start SMTP Server Should Fail With
    [Arguments]    ${error}    &{arguments}
    Run Keyword And Expect Error    EQUALS:${error}    Start SMTP Server    &{arguments}
