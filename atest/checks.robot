*** Settings ***
Documentation     Message checks: the test DNS, DKIM keys, authentication results and problems, each
...               keyword's success and its failure. The examples of the keyword reference, as written.
Library           SMTPLibrary    timeout=2 s
Library           SignedMailer.py
Library           Mailer.py
Library           Collections
Library           OperatingSystem
Suite Setup       Publish For The Suite
Test Teardown     Stop All SMTP Servers


*** Variables ***
${SPF}            v=spf1 ip4:127.0.0.1 -all


*** Test Cases ***
Signed mail passes every check
    ${port} =    Start SMTP Server
    ${key} =    Create DKIM Key    example.com
    Add Test DNS Record    example.com    TXT    ${SPF}
    Add Test DNS Record    _dmarc.example.com    TXT    v=DMARC1; p=reject
    Send Signed Mail    ${port}    ${key}
    ${msg} =    Message Should Be Received Matching    subject=Invoice
    ${auth} =    Get Message Authentication    ${msg}
    Should Be Equal    ${auth.dkim[0].result}    pass
    Should Be Equal    ${auth.dkim[0].domain}    example.com
    Should Be Equal    ${auth.dkim[0].selector}    test
    Should Be Equal    ${auth.spf.result}    pass
    Should Be Equal    ${auth.dmarc.result}    pass
    Should Be Equal    ${auth.dmarc.policy}    reject
    Should Be Equal    ${auth.arc.result}    none
    Should Start With    ${auth.header}    Authentication-Results: localhost;\r\n\tdkim=pass header.d=example.com
    Should Contain    ${auth.header}    spf=pass
    ${same} =    Message Authentication Should Be    ${msg}    dkim=pass    spf=pass    dmarc=pass    arc=none
    Should Be Equal    ${same.header}    ${auth.header}
    Message Authentication Should Be    ${msg}    dkim=PASS
    ${problems} =    Get Message Problems    ${msg}
    Should Be Empty    ${problems}
    Message Should Be Well Formed    ${msg}

A changed body byte fails DKIM and DMARC, naming why
    ${port} =    Start SMTP Server
    ${key} =    Create DKIM Key    example.com
    Send Signed Mail    ${port}    ${key}    change_after_signing=True
    ${msg} =    Message Should Be Received Matching    subject=Invoice
    ${auth} =    Get Message Authentication    ${msg}
    Should Be Equal    ${auth.dkim[0].result}    fail
    Should Be Equal    ${auth.dkim[0].reason}    body hash did not verify
    # DMARC still passes: SPF passed for example.com, aligned with the From domain.
    Should Be Equal    ${auth.dmarc.result}    pass
    Should Be True    ${auth.dmarc.spf_aligned} and not ${auth.dmarc.dkim_aligned}
    Run Keyword And Expect Error
    ...    EQUALS:Message #1 did not authenticate as expected (dkim=pass, spf=pass, dmarc=pass):\ndkim=fail (body hash did not verify) for d=example.com s=test
    ...    Message Authentication Should Be    ${msg}    dkim=pass    spf=pass    dmarc=pass
    Message Authentication Should Be    ${msg}    dkim=fail    spf=pass    dmarc=pass

Unsigned mail from a host SPF does not allow
    ${port} =    Start SMTP Server
    Add Test DNS Record    example.org    TXT    v=spf1 ip4:192.0.2.0/24 -all
    Send Mail    ${port}    sender=app@example.org    subject=Unsigned
    ${msg} =    Message Should Be Received Matching    subject=Unsigned
    Run Keyword And Expect Error
    ...    EQUALS:Message #1 did not authenticate as expected (dkim=pass, spf=pass):\ndkim=none (the message has no DKIM-Signature)\nspf=fail (SPF fail - not authorized) for mailfrom app@example.org from 127.0.0.1
    ...    Message Authentication Should Be    ${msg}    dkim=pass    spf=pass
    Message Authentication Should Be    ${msg}    dkim=none    spf=fail    dmarc=none    arc=none
    Message Authentication Should Be    ${msg}    dkim=none    spf=fail
    Run Keyword And Expect Error
    ...    EQUALS:spf must be one of pass, fail, none, neutral, softfail, temperror, permerror, got 'passed'.
    ...    Message Authentication Should Be    ${msg}    spf=passed

An ed25519 key, and the keyword reference's examples
    ${port} =    Start SMTP Server
    ${key} =    Create DKIM Key    example.com
    Set Environment Variable    DKIM_KEY_FILE    ${key.private_key_path}
    Should Be Equal    %{DKIM_KEY_FILE}    ${key.private_key_path}
    ${ed} =    Create DKIM Key    example.com    selector=ed    algorithm=ed25519-sha256
    Should Be Equal    ${ed.algorithm}    ed25519-sha256
    Should Be Equal    ${ed.dns_name}    ed._domainkey.example.com
    Should Start With    ${ed.dns_record}    v=DKIM1; k=ed25519; p=
    Should Start With    ${ed.private_key}    -----BEGIN PRIVATE KEY-----
    Should Not Be Empty    ${ed.private_key_base64}
    Should Start With    ${key.dns_record}    v=DKIM1; k=rsa; p=
    Send Signed Mail    ${port}    ${ed}
    ${msg} =    Message Should Be Received Matching    subject=Invoice
    ${auth} =    Get Message Authentication    ${msg}
    Should Be Equal    ${auth.dkim[0].algorithm}    ed25519-sha256
    Message Authentication Should Be    ${msg}    dkim=pass    spf=pass    dmarc=pass
    Message Authentication Should Be    ${msg}    dkim=pass    dmarc=pass
    Add Test DNS Record    example.com    MX    10 mx.example.com
    Run Keyword And Expect Error
    ...    EQUALS:algorithm must be one of rsa-sha256, ed25519-sha256, got 'rsa-sha1'.
    ...    Create DKIM Key    example.com    algorithm=rsa-sha1

Wrong records are refused, naming what is wrong
    Run Keyword And Expect Error
    ...    EQUALS:DNS record type 'SRV' is not supported: use one of A, AAAA, CNAME, MX, PTR, TXT.
    ...    Add Test DNS Record    example.com    SRV    0 5 5060 sip.example.com
    Run Keyword And Expect Error
    ...    EQUALS:An A value must be an IPv4 address, got '2001:db8::1'.
    ...    Add Test DNS Record    example.com    A    2001:db8::1
    Add Test DNS Record    split.example.com    TXT    ${{ ['v=spf1 ', '-all'] }}
    Add Test DNS Record    192.0.2.1    PTR    mail.example.com

Records a test adds are gone in the next test
    ${port} =    Start SMTP Server
    Add Test DNS Record    isolated.example.com    TXT    v=spf1 ip4:127.0.0.1 -all
    Send Mail    ${port}    sender=app@isolated.example.com    subject=Isolated
    ${msg} =    Message Should Be Received Matching    subject=Isolated
    Message Authentication Should Be    ${msg}    spf=pass

The next test starts without them, with the suite's records
    ${port} =    Start SMTP Server
    Send Mail    ${port}    sender=app@isolated.example.com    subject=Isolated
    Send Mail    ${port}    sender=app@suite.example.com    subject=Suite
    ${msg} =    Message Should Be Received Matching    subject=Isolated
    Message Authentication Should Be    ${msg}    spf=none
    ${msg} =    Message Should Be Received Matching    subject=Suite
    Message Authentication Should Be    ${msg}    spf=pass

Clear Test DNS Records removes every record
    ${port} =    Start SMTP Server
    Clear Test DNS Records
    Send Mail    ${port}    sender=app@suite.example.com    subject=Cleared
    ${msg} =    Message Should Be Received Matching    subject=Cleared
    ${auth} =    Message Authentication Should Be    ${msg}    spf=none
    Should Be Equal    ${auth.spf.reason}    no SPF record at suite.example.com

Problems of a message
    ${port} =    Start SMTP Server
    Send Mail    ${port}    subject=Plain    html=<p>Hello <img src="cid:logo"></p>
    ${msg} =    Message Should Be Received Matching    subject=Plain
    ${problems} =    Get Message Problems    ${msg}
    ${codes} =    Evaluate    [problem.code for problem in $problems]
    # smtplib sends bytes as they are: the message the email package wrote has bare LF line ends.
    Should Be Equal    ${codes}    ${{ ['line.bare-lf', 'header.date.count', 'header.message-id.missing', 'html.lang', 'html.img.alt'] }}
    Should Be Equal    ${problems[1].severity}    error
    Should Be Equal    ${problems[1].where}    Date
    Should Be Equal    ${problems[1].text}    there is no Date field; RFC 5322 requires one
    Should Be Equal    ${problems[3].where}    2
    Run Keyword And Expect Error
    ...    EQUALS:Message #1 is not well formed: 3 errors and 2 warnings.\nerror line.bare-lf (line 1): 21 lines end with a bare LF, not CRLF (lines 1, 2, 3, 4, 5 and 16 more)\nerror header.date.count (Date): there is no Date field; RFC 5322 requires one\nerror header.message-id.missing (Message-ID): there is no Message-ID field\nwarning html.lang (2): the HTML does not declare its language: there is no <html> element to carry lang\nwarning html.img.alt (2): 1 image has no alt attribute: 'cid:logo'
    ...    Message Should Be Well Formed    ${msg}
    Run Keyword And Expect Error
    ...    EQUALS:Message #1 is not well formed: 3 errors.\nerror line.bare-lf (line 1): 21 lines end with a bare LF, not CRLF (lines 1, 2, 3, 4, 5 and 16 more)\nerror header.date.count (Date): there is no Date field; RFC 5322 requires one\nerror header.message-id.missing (Message-ID): there is no Message-ID field
    ...    Message Should Be Well Formed    ${msg}    ignore=html.*

Warnings can be ignored, errors cannot
    ${port} =    Start SMTP Server
    ${source} =    Compose Mail    subject=Newsletter    html=<html><body><p>Hi</p></body></html>
    ...    headers=${{ {'List-Id': 'News <news.example.com>'} }}
    Send Raw Mail    ${port}    ${source}
    ${msg} =    Message Should Be Received Matching    subject=Newsletter
    ${found} =    Message Should Be Well Formed    ${msg}    ignore=html.*, bulk.list-unsubscribe.missing
    Length Should Be    ${found}    2
    Message Should Be Well Formed    ${msg}    ignore=${{ ['html.lang', 'bulk.*'] }}
    Run Keyword And Expect Error
    ...    EQUALS:ignore: 'html.alt' is no problem code. Did you mean html.img.alt, html.lang?
    ...    Message Should Be Well Formed    ${msg}    ignore=html.alt
    Run Keyword And Expect Error
    ...    EQUALS:ignore: 'line.too-long' names errors (line.too-long), and an error cannot be ignored: a message that has one is not well formed.
    ...    Message Should Be Well Formed    ${msg}    ignore=line.too-long

The keyword reference's examples of Message Should Be Well Formed
    ${port} =    Start SMTP Server
    ${key} =    Create DKIM Key    example.com
    ${source} =    Compose Mail    subject=Offers    html=<html><body><p>Offers</p></body></html>
    ...    headers=${{ {'List-Id': 'Offers <offers.example.com>'} }}
    Send Raw Mail    ${port}    ${source}
    ${headers} =    Create Dictionary    List-Unsubscribe=<https://example.com/u/42>
    ...    List-Unsubscribe-Post=List-Unsubscribe=One-Click
    ${source} =    Compose Mail    subject=One click    headers=${headers}
    ${signed} =    Sign Mail    ${source}    ${key}
    Send Raw Mail    ${port}    ${signed}
    ${html_only} =    Compose Mail    subject=HTML only
    ${html_only} =    Evaluate    $html_only.replace(b'Content-Type: text/plain; charset="utf-8"', b'Content-Type: text/html; charset="utf-8"')
    Send Raw Mail    ${port}    ${html_only}
    ${msg} =    Message Should Be Received Matching    subject=^One click
    Message Should Be Well Formed    ${msg}
    Message Should Be Well Formed    ${msg}    bulk=True
    ${msg} =    Message Should Be Received Matching    subject=^HTML only
    Message Should Be Well Formed    ${msg}    ignore=html.*, content.html-only
    ${msg} =    Message Should Be Received Matching    subject=^Offers
    ${warnings} =    Message Should Be Well Formed    ${msg}    ignore=${{ ['html.lang', 'bulk.*'] }}
    Should Be Equal    ${{ [problem.code for problem in $warnings] }}    ${{ ['html.lang', 'bulk.list-unsubscribe.missing'] }}

Bulk mail needs one-click unsubscription
    ${port} =    Start SMTP Server
    ${source} =    Compose Mail    subject=Offers
    Send Raw Mail    ${port}    ${source}
    ${msg} =    Message Should Be Received Matching    subject=Offers
    ${problems} =    Get Message Problems    ${msg}
    Should Be Empty    ${problems}
    ${problems} =    Get Message Problems    ${msg}    bulk=True
    Should Be Equal    ${problems[0].code}    bulk.list-unsubscribe.missing
    Run Keyword And Expect Error
    ...    EQUALS:Message #1 is not well formed: 1 warning.\nwarning bulk.list-unsubscribe.missing (List-Unsubscribe): bulk mail (the test marks it bulk) without List-Unsubscribe
    ...    Message Should Be Well Formed    ${msg}    bulk=True

A message given as bytes has no envelope to check against
    ${source} =    Compose Mail    subject=Bytes
    ${problems} =    Get Message Problems    ${source}
    Should Be Empty    ${problems}
    ${auth} =    Get Message Authentication    ${source}
    Should Be Equal    ${auth.spf.result}    none
    Should Be Equal    ${auth.spf.reason}    no client IP address to check

Check keywords want one message
    FOR    ${keyword}    IN    Get Message Problems    Get Message Authentication    Message Should Be Well Formed
    ...    Message Authentication Should Be
        Run Keyword And Expect Error
        ...    EQUALS:Argument message must be a message (as returned by Message Should Be Received Matching or Get Messages) or the bytes of one, got int 42.
        ...    ${keyword}    ${42}
    END


*** Keywords ***
Publish For The Suite
    Add Test DNS Record    suite.example.com    TXT    ${SPF}
    Add Test DNS Record    example.com    TXT    ${SPF}
    Add Test DNS Record    _dmarc.example.com    TXT    v=DMARC1; p=reject
