*** Settings ***
Documentation     max_messages: a long-running server keeps only the newest messages.
Library           SMTPLibrary    timeout=2 s
Library           Mailer.py
Test Teardown     Stop All SMTP Servers


*** Test Cases ***
Start SMTP Server keeps only max_messages messages, the newest
    ${port} =    Start SMTP Server    max_messages=2
    Send Mail    ${port}    subject=First
    Send Mail    ${port}    subject=Second
    Send Mail    ${port}    subject=Third
    Message Count Should Be    2
    Message Should Be Received Matching    subject=EQUALS:Second    timeout=0 s
    Message Should Be Received Matching    subject=EQUALS:Third    timeout=0 s
    Message Should Not Be Received Matching    subject=EQUALS:First

Start SMTP Server keeps every message by default
    ${port} =    Start SMTP Server
    FOR    ${number}    IN RANGE    3
        Send Mail    ${port}    subject=Mail ${number}
    END
    Message Count Should Be    3

Start SMTP Server refuses a max_messages that is not positive
    Run Keyword And Expect Error
    ...    max_messages must be a positive number of messages, or None for no limit, got 0.
    ...    Start SMTP Server    max_messages=0
