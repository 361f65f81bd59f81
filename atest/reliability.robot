*** Settings ***
Documentation     What goes wrong in the server thread is reported by the next keyword.
Library           SMTPLibrary
Library           Mailer.py
Test Teardown     Stop All SMTP Servers


*** Test Cases ***
A dead server thread is reported by the next keyword
    ${port} =    Start SMTP Server
    ${server} =    Current Server
    Evaluate    $server._thread.loop.call_soon_threadsafe($server._thread.loop.stop)
    Evaluate    $server._thread._thread.join(10)
    Run Keyword And Expect Error
    ...    The SMTP server on 127.0.0.1:${port} has stopped unexpectedly.
    ...    Get Message Count

An error while storing a message is reported by the next keyword
    ${port} =    Start SMTP Server
    ${server} =    Current Server
    Evaluate    setattr($server.mailbox, 'add', lambda message: 1 / 0)
    Run Keyword And Expect Error    SMTPDataError: (451, *    Send Mail    ${port}
    Run Keyword And Expect Error
    ...    The SMTP server on 127.0.0.1:${port} failed while handling a connection: ZeroDivisionError: division by zero
    ...    Message Should Be Received Matching    subject=Hello    timeout=0


*** Keywords ***
Current Server
    ${library} =    Get Library Instance    SMTPLibrary
    RETURN    ${library.servers.get()}
