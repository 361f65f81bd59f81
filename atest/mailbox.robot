*** Settings ***
Documentation     Reading the mailbox and waiting for mail: each keyword's success and failure.
Library           SMTPLibrary    timeout=2 s
Library           Mailer.py
Library           Collections
Suite Setup       Start Server For Suite
Test Setup        Reset Mailbox
Suite Teardown    Stop All SMTP Servers


*** Variables ***
${PORT}           ${None}


*** Test Cases ***
Reset Mailbox empties the mailbox
    Send Two Mails
    Reset Mailbox
    ${count} =    Get Message Count
    Should Be Equal    ${count}    ${0}

Get Message Count counts without waiting
    ${count} =    Get Message Count
    Should Be Equal    ${count}    ${0}
    Send Two Mails
    ${count} =    Get Message Count
    Should Be Equal    ${count}    ${2}

Message Count Should Be waits for the count
    Send Mail In Background    ${PORT}    subject=one
    Send Mail In Background    ${PORT}    subject=two
    Message Count Should Be    2    timeout=10 s
    [Teardown]    Wait For Background Mail

Message Count Should Be fails when the count is not reached
    Send Mail    ${PORT}    subject=only one
    Run Keyword And Expect Error
    ...    Expected 2 messages but 1 arrived in 200 milliseconds. 1 message arrived:\n1) from app@example.com to alice@example.com, subject 'only one'
    ...    Message Count Should Be    2    timeout=200 ms

Message Count Should Be fails at once when there are more
    Send Two Mails
    Run Keyword And Expect Error
    ...    Expected 1 message but 2 had already arrived. 2 messages arrived:\n1) from app@example.com to alice@example.com, subject 'first'\n2) from app@example.com to bob@example.com, subject 'second'
    ...    Message Count Should Be    1    timeout=1 minute

Message Count Should Be uses the library timeout by default
    Run Keyword And Expect Error
    ...    Expected 1 message but 0 arrived in 2 seconds. No message arrived.
    ...    Message Count Should Be    1

Message Count Should Be refuses a negative count
    Run Keyword And Expect Error
    ...    EQUALS:The expected message count must be a whole number, 0 or more, got -1.
    ...    Message Count Should Be    -1

Get Messages returns every message oldest first
    Send Two Mails
    ${messages} =    Get Messages
    Length Should Be    ${messages}    2
    Should Be Equal    ${messages[0].subject}    first
    Should Be Equal    ${messages[1].subject}    second

Get Messages filters by criteria
    Send Two Mails
    ${messages} =    Get Messages    recipient=bob@
    Length Should Be    ${messages}    1
    Should Be Equal    ${messages[0].subject}    second
    ${messages} =    Get Messages    subject=third
    Should Be Empty    ${messages}

An unprefixed criterion is a whole address, or text as written, or a regular expression
    Send Mail    ${PORT}    recipients=malice@example.com    subject=Order #42 (paid)
    Send Mail    ${PORT}    recipients=alice+test@example.com    subject=Order #43 (open)
    Send Mail    ${PORT}    sender=shop@example.com    recipients=ALICE@example.com    subject=Re: [order 44]
    ${messages} =    Get Messages    recipient=alice@example.com
    Should Be Equal    ${messages[0].subject}    Re: [order 44]
    Length Should Be    ${messages}    1
    ${messages} =    Get Messages    recipient=alice+test@example.com
    Should Be Equal    ${messages[0].subject}    Order #43 (open)
    Length Should Be    ${messages}    1
    ${msg} =    Message Should Be Received Matching    subject=Order #42 (paid)    timeout=0 s
    Should Be Equal    ${msg.recipients}    ${{ ['malice@example.com'] }}
    ${messages} =    Get Messages    subject=Re: [order 44]
    Length Should Be    ${messages}    1
    ${messages} =    Get Messages    recipient=alice    subject=^Order #4\\d
    Length Should Be    ${messages}    2
    ${messages} =    Get Messages    sender=^shop@
    Length Should Be    ${messages}    1
    ${messages} =    Get Messages    recipient=.*@example.com
    Length Should Be    ${messages}    3
    Message Should Not Be Received Matching    recipient=lice@example.com
    Run Keyword And Expect Error
    ...    EQUALS:A message matching recipient='alice@' arrived: from app@example.com to malice@example.com, subject 'Order #42 (paid)'. Note: recipient='alice@' matched only part of 'malice@example.com'.
    ...    Message Should Not Be Received Matching    recipient=alice@

A misspelled argument name fails at once, naming it and the arguments
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'to' in pattern='to=alice@example.com': the arguments are pattern, sender, recipient, subject, body, header, authenticated_as, tls, attachment, link. To search the message source for that text, write pattern=CONTAINS:to=alice@example.com.
    ...    Get Messages    to=alice@example.com
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'withn' in pattern='withn=2 s': the arguments are pattern, sender, recipient, subject, body, header, authenticated_as, tls, attachment, link, within. Did you mean within? To search the message source for that text, write pattern=CONTAINS:withn=2 s.
    ...    Message Should Not Be Received Matching    withn=2 s
    Run Keyword And Expect Error
    ...    EQUALS:ValueError: Argument 'expected' got value 'timout=1 s' that cannot be converted to MessageCount: Unknown argument 'timout' in expected='timout=1 s': the arguments are expected, timeout. Did you mean timeout?
    ...    Message Count Should Be    timout=1 s
    # Meant: the prefix says so.
    Send Mail    ${PORT}    body=to=alice@example.com
    Message Should Be Received Matching    CONTAINS:to=alice@example.com    timeout=0 s

Get Messages rejects a bad regular expression after REGEXP
    Run Keyword And Expect Error
    ...    Invalid regular expression in subject='(': missing ), unterminated subpattern at position 0.
    ...    Get Messages    subject=REGEXP:(

Message Should Be Received Matching returns the first match
    Send Two Mails
    ${msg} =    Message Should Be Received Matching    sender=app@
    Should Be Equal    ${msg.subject}    first

Message Should Be Received Matching waits for the mail
    Send Mail In Background    ${PORT}    subject=Welcome Alice
    ${msg} =    Message Should Be Received Matching    subject=^Welcome    timeout=10 s
    Should Be Equal    ${msg.subject}    Welcome Alice
    [Teardown]    Wait For Background Mail

Message Should Be Received Matching each criterion
    Send Mail    ${PORT}    sender=shop@example.com    recipients=alice+orders@example.com, bcc@example.com
    ...    subject=Your order (#42)    body=Thanks, Alice!    headers=${{ {'X-Campaign': 'autumn-2026'} }}
    Message Should Be Received Matching    pattern=Subject: Your order \\(#42\\)\\n
    Message Should Be Received Matching    sender=^shop@example\\.com$
    Message Should Be Received Matching    recipient=^bcc@
    Message Should Be Received Matching    subject=order \\(#42\\)
    Message Should Be Received Matching    body=Thanks, Alice!
    Message Should Be Received Matching    header=X-Campaign: ^autumn
    Message Should Be Received Matching    header=${{ ['X-Campaign: 2026', 'From: shop'] }}
    Message Should Be Received Matching    sender=shop    recipient=bcc    subject=order    body=Alice    header=X-Campaign: .

Message Should Be Received Matching with each prefix
    Send Mail    ${PORT}    sender=shop@example.com    recipients=alice+orders@example.com    subject=Your order (#42)
    Message Should Be Received Matching    subject=EQUALS:Your order (#42)
    Message Should Be Received Matching    subject=STARTS:Your order (
    Message Should Be Received Matching    recipient=CONTAINS:alice+orders@
    Message Should Be Received Matching    sender=GLOB:*@example.com
    Message Should Be Received Matching    subject=REGEXP:^Your order
    Run Keyword And Expect Error    No message matching subject='EQUALS:Your order' arrived in 0 seconds.*
    ...    Message Should Be Received Matching    subject=EQUALS:Your order    timeout=0

Message Should Be Received Matching fails naming criteria, time and the nearest miss
    Send Mail    ${PORT}    recipients=bob@example.com    subject=Welcome Bob
    Send Mail    ${PORT}    recipients=alice@example.com    subject=Invoice
    Run Keyword And Expect Error
    ...    EQUALS:No message matching recipient='alice@', subject='Welcome Alice' arrived in 300 milliseconds. 2 messages arrived, closest first:\n1) from app@example.com to alice@example.com, subject 'Invoice': subject 'Invoice' did not match 'Welcome Alice'\n2) from app@example.com to bob@example.com, subject 'Welcome Bob': recipients ['bob@example.com'] did not match 'alice@'; subject 'Welcome Bob' did not match 'Welcome Alice'
    ...    Message Should Be Received Matching    subject=Welcome Alice    recipient=alice@    timeout=300 ms

Message Should Be Received Matching fails when nothing arrived
    Run Keyword And Expect Error
    ...    No message matching subject='Welcome' arrived in 2 seconds. No message arrived.
    ...    Message Should Be Received Matching    subject=Welcome

Message Should Be Received Matching lists at most five messages
    FOR    ${n}    IN RANGE    7
        Send Mail    ${PORT}    subject=noise ${n}
    END
    ${error} =    Run Keyword And Expect Error    *
    ...    Message Should Be Received Matching    subject=signal    timeout=0
    Should Start With    ${error}    No message matching subject='signal' arrived in 0 seconds. 7 messages arrived, closest first:
    Should Contain    ${error}    \n5) from
    Should Not Contain    ${error}    \n6)

Message Should Not Be Received Matching passes when no match arrived
    Send Mail    ${PORT}    subject=Welcome
    Message Should Not Be Received Matching    subject=Password reset
    Message Should Not Be Received Matching    subject=Password reset    within=100 ms

Message Should Not Be Received Matching fails on a stored match
    Send Mail    ${PORT}    subject=Password reset
    Run Keyword And Expect Error
    ...    A message matching subject='reset' arrived: from app@example.com to alice@example.com, subject 'Password reset'.
    ...    Message Should Not Be Received Matching    subject=reset

Message Should Not Be Received Matching watches for the given time
    Send Mail In Background    ${PORT}    subject=Password reset
    Run Keyword And Expect Error
    ...    A message matching subject='reset' arrived within 10 seconds: from app@example.com to alice@example.com, subject 'Password reset'.
    ...    Message Should Not Be Received Matching    subject=reset    within=10 s
    [Teardown]    Wait For Background Mail

Received message attributes
    Send Mail    ${PORT}    sender=app@example.com    recipients=alice@example.com, hidden@example.com
    ...    subject=Grüße    body=Plain text    html=<p>HTML <b>text</b></p>
    ${msg} =    Message Should Be Received Matching    subject=EQUALS:Grüße
    Should Be Equal    ${msg.sender}    app@example.com
    Should Be Equal    ${msg.recipients}    ${{ ['alice@example.com', 'hidden@example.com'] }}
    Should Be Equal    ${msg.subject}    Grüße
    Should Be Equal    ${msg.text}    Plain text\n
    Should Be Equal    ${msg.html}    <p>HTML <b>text</b></p>\n
    Should Be Equal    ${msg.headers}[subject]    Grüße
    Should Be Equal    ${msg.headers['To']}    alice@example.com, hidden@example.com
    Should Be Equal    ${msg.helo}    mailer.test
    Should Be Equal    ${msg.peer}[0]    127.0.0.1
    Should Be True    isinstance($msg.raw, bytes) and b'Subject: =?utf-8?' in $msg.raw
    Should Be True    $msg.received_at.tzinfo is not None
    Should Be Equal    ${msg.message.get_content_type()}    multipart/alternative
    ${text} =    Convert To String    ${msg}
    Should Contain    ${text}    \nX-MailFrom: app@example.com\nX-RcptTo: alice@example.com, hidden@example.com\n


*** Keywords ***
Send Two Mails
    Send Mail    ${PORT}    recipients=alice@example.com    subject=first
    Send Mail    ${PORT}    recipients=bob@example.com    subject=second

Start Server For Suite
    ${port} =    Start SMTP Server    alias=mailbox
    Set Suite Variable    ${PORT}    ${port}
