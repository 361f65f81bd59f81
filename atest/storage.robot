*** Settings ***
Documentation     Persistent mailboxes: Start SMTP Server with maildir=, mbox= and latest=.
Library           SMTPLibrary    timeout=5 s
Library           OperatingSystem
Library           Mailer.py
Test Setup        Create Directory    ${DIR}
Test Teardown     Run Keywords    Stop All SMTP Servers    AND    Remove Directory    ${DIR}    recursive=True


*** Variables ***
${DIR}            ${OUTPUT DIR}${/}storage


*** Test Cases ***
Messages are kept in a Maildir
    ${port} =    Start SMTP Server    maildir=${DIR}${/}mail
    Send Mail    ${port}    subject=First
    Send Mail    ${port}    subject=Second    recipients=bob@example.com
    Message Should Be Received Matching    subject=Second
    Stop SMTP Server
    ${subjects} =    Maildir Subjects    ${DIR}${/}mail
    Should Be Equal    ${subjects}    ${{ ['First', 'Second'] }}
    Directory Should Be Empty    ${DIR}${/}mail${/}tmp
    ${files} =    List Files In Directory    ${DIR}${/}mail${/}new    absolute=True
    Length Should Be    ${files}    2
    ${all} =    Evaluate    ''.join(open(name).read() for name in $files)
    Should Contain    ${all}    X-RcptTo: bob@example.com

Reset Mailbox empties the Maildir
    ${port} =    Start SMTP Server    maildir=${DIR}${/}mail
    Send Mail    ${port}    subject=Gone
    Message Count Should Be    1
    Reset Mailbox
    Directory Should Be Empty    ${DIR}${/}mail${/}new
    Send Mail    ${port}    subject=Kept
    Message Count Should Be    1
    Stop SMTP Server
    ${subjects} =    Maildir Subjects    ${DIR}${/}mail
    Should Be Equal    ${subjects}    ${{ ['Kept'] }}

Messages are kept in an mbox file and the newest in a latest file
    ${port} =    Start SMTP Server    mbox=${DIR}${/}mail.mbox    latest=${DIR}${/}latest.eml
    Send Mail    ${port}    subject=First
    Send Mail    ${port}    subject=Second
    Message Count Should Be    2
    Stop SMTP Server
    ${subjects} =    Evaluate    [m['subject'] for m in mailbox.mbox($DIR + '/mail.mbox')]    modules=mailbox
    Should Be Equal    ${subjects}    ${{ ['First', 'Second'] }}
    ${latest} =    Get File    ${DIR}${/}latest.eml
    Should Contain    ${latest}    Subject: Second
    Should Not Contain    ${latest}    Subject: First

A bounded mailbox keeps the newest in memory and every message on disk
    ${port} =    Start SMTP Server    maildir=${DIR}${/}mail    max_messages=1
    Send Mail    ${port}    subject=First
    Send Mail    ${port}    subject=Second
    Message Should Be Received Matching    subject=Second
    Message Count Should Be    1    timeout=0 s
    Stop SMTP Server
    ${subjects} =    Maildir Subjects    ${DIR}${/}mail
    Should Be Equal    ${subjects}    ${{ ['First', 'Second'] }}

The documented Maildir in the output directory works after a card was logged
    ${port} =    Start SMTP Server
    Send Mail    ${port}    subject=Logged
    Message Should Be Received Matching    subject=Logged    # logs its card, the .eml saved under ${OUTPUT DIR}
    Stop SMTP Server
    # The examples of the library and keyword documentation, as written.
    ${folders} =    Evaluate
    ...    sorted(set(re.findall(r'maildir=[$][{]OUTPUT DIR[}]/([A-Za-z0-9_-]+)', SMTPLibrary.SMTPLibrary.__doc__ + SMTPLibrary.SMTPLibrary.start_smtp_server.__doc__)))
    ...    modules=re,SMTPLibrary
    Should Not Be Empty    ${folders}
    FOR    ${folder}    IN    @{folders}
        ${port} =    Start SMTP Server    maildir=${OUTPUT DIR}/${folder}
        Send Mail    ${port}    subject=Kept in ${folder}
        Stop SMTP Server
        ${subjects} =    Maildir Subjects    ${OUTPUT DIR}${/}${folder}
        Should Contain    ${subjects}    Kept in ${folder}
        Remove Directory    ${OUTPUT DIR}${/}${folder}    recursive=True
    END
    # The card's .eml file went to a folder of its own.
    Directory Should Not Be Empty    ${OUTPUT DIR}${/}smtplibrary-mail

Start SMTP Server refuses a Maildir path that is a file
    Create File    ${DIR}${/}notes.txt    mine
    Run Keyword And Expect Error
    ...    EQUALS:Cannot use ${DIR}${/}notes.txt for the Maildir: it is not a directory.
    ...    Start SMTP Server    maildir=${DIR}${/}notes.txt

Start SMTP Server refuses a directory of other files as Maildir
    Create File    ${DIR}${/}notes.txt    mine
    Run Keyword And Expect Error
    ...    EQUALS:Cannot use ${DIR} for the Maildir: it is not empty and has no cur/, new/ and tmp/ folders.
    ...    Start SMTP Server    maildir=${DIR}
    File Should Exist    ${DIR}${/}notes.txt


*** Keywords ***
Maildir Subjects
    [Arguments]    ${path}
    ${subjects} =    Evaluate    sorted(m['subject'] for m in mailbox.Maildir($path, factory=None))    modules=mailbox
    RETURN    ${subjects}
