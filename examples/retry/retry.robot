*** Settings ***
Documentation     The shop mails an order confirmation and tries again when the mail
...               server refuses it for now. The tests make the server refuse exactly
...               when they want, and check what the application did about it.
Library           SMTPLibrary
Resource          shop.resource
Suite Setup       Start SMTP Server
Suite Teardown    Stop All SMTP Servers
Test Setup        Reset Mailbox
Test Teardown     Clear SMTP Faults


*** Test Cases ***
Greylisted twice, the confirmation goes through the third time
    Set SMTP Reply    RCPT    451    4.7.1 Greylisted, try again later    count=2
    ${result} =    Confirm Order    alice@example.com    42
    Should Be Equal As Integers    ${result.rc}    0    ${result.stderr}
    Should Be Equal    ${result.stdout}    sent after 3 attempts
    Message Should Be Received Matching    recipient=EQUALS:alice@example.com    subject=EQUALS:Order 42 confirmed
    Message Count Should Be    1
    SMTP Client Should Have Retried    2
    ${sessions} =    Get SMTP Transcript
    Should Contain    ${sessions[0].replies}    451 4.7.1 Greylisted, try again later
    Should Contain    ${sessions[1].replies}    451 4.7.1 Greylisted, try again later
    Should Contain    ${sessions[2].text}    C: RCPT TO:<alice@example.com>\nS: 250 OK    ignore_case=True

A permanent refusal is not retried
    Set SMTP Reply    DATA_END    550    5.7.1 Message rejected as spam
    ${result} =    Confirm Order    bob@example.com    43
    Should Be Equal As Integers    ${result.rc}    1    ${result.stderr}
    Should Contain    ${result.stderr}    5.7.1 Message rejected as spam
    Message Count Should Be    0
    SMTP Client Should Have Retried    0

A dropped connection is retried and the confirmation arrives once
    Set SMTP Disconnect    DATA_END
    ${result} =    Confirm Order    carol@example.com    44
    Should Be Equal As Integers    ${result.rc}    0    ${result.stderr}
    Message Count Should Be    1
    SMTP Client Should Have Retried    1

Rate-limited, the confirmations go out later and each arrives once
    Set SMTP Rate Limit    2    500 ms    scope=server
    FOR    ${order}    IN RANGE    50    55
        ${result} =    Confirm Order    alice@example.com    ${order}    attempts=6    backoff=0.1
        Should Be Equal As Integers    ${result.rc}    0    ${result.stderr}
    END
    Message Count Should Be    5
    FOR    ${order}    IN RANGE    50    55
        Message Should Be Received Matching    subject=EQUALS:Order ${order} confirmed
    END
    ${sessions} =    Get SMTP Transcript
    ${refused} =    Evaluate    sum(reply.startswith('421 4.7.0 Too many messages') for s in $sessions for reply in s.replies)
    Should Be True    ${refused} > 0    The rate limit never refused: the test proved nothing.
    # One attempt per message, one more per refusal; retries are attempts after the first.
    SMTP Client Should Have Retried    ${{ 5 + $refused - 1 }}

Giving up after three temporary failures
    Set SMTP Reply    MAIL    421    4.3.2 Shutting down, try again later    count=0
    ${result} =    Confirm Order    dave@example.com    45
    Should Be Equal As Integers    ${result.rc}    2    ${result.stderr}
    Message Count Should Be    0
    SMTP Client Should Have Retried    2


*** Keywords ***
Confirm Order
    [Arguments]    ${email}    ${order}    ${attempts}=3    ${backoff}=0.05
    ${port} =    Get SMTP Server Port
    ${result} =    Run Process    ${{ sys.executable }}    ${CURDIR}/notify_app.py    --backoff    ${backoff}
    ...    --attempts    ${attempts}    --smtp-port    ${port}    ${email}    ${order}
    RETURN    ${result}
