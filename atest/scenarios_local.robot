*** Settings ***
Documentation     The scenarios of resources/scenarios.resource with the library in this process.
...               scenarios_remote.robot runs the same ones through the Remote library.
Library           SMTPLibrary
Resource          scenarios.resource
Test Teardown     Stop All SMTP Servers


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
