*** Settings ***
Documentation     Reading what a message says: each content keyword's success and failure,
...               the attachment and link criteria, and every message of the corpus
...               (utest/corpus/) read through the keywords.
Library           SMTPLibrary    timeout=2 s
Library           Mailer.py
Library           OperatingSystem
Library           Collections
Suite Setup       Start Server For Suite
Test Setup        Reset Mailbox
Suite Teardown    Stop All SMTP Servers


*** Variables ***
${PORT}           ${None}
${CORPUS}         ${CURDIR}/../utest/corpus
${SAVED}          ${OUTPUT DIR}/content-saved
${GMAIL}          03-gmail-attachments.eml
${SES}            17-amazon-ses-html-only.eml
${HOSTILE}        19-hostile-attachment-names.eml


*** Test Cases ***
Get Message Text returns the decoded text
    ${msg} =    Send Corpus Message    05-thunderbird-flowed.eml
    ${text} =    Get Message Text    ${msg}
    Should Contain    ${text}    Die Zahlen sind noch vorläufig, die endgültige Fassung kommt nächste Woche.\n
    Should Be Equal    ${text}    ${msg.text}

Get Message Text fails on a message without text
    ${msg} =    Send Corpus Message    ${SES}
    Run Keyword And Expect Error
    ...    Message #* has no text/plain part; its parts: text/html.
    ...    Get Message Text    ${msg}

Get Message HTML returns the decoded HTML
    ${msg} =    Send Corpus Message    13-mislabelled-charsets.eml
    ${html} =    Get Message HTML    ${msg}
    Should Start With    ${html}    <p>Grüße aus München!</p><p>Ihr „Café“-Paket

Get Message HTML fails on a message without HTML
    ${msg} =    Send Corpus Message    16-multipart-without-boundary.eml
    Run Keyword And Expect Error
    ...    Message #* has no text/html part; it has no decodable part; problems: message (multipart/alternative): multipart without a boundary: its body is kept as the raw bytes.
    ...    Get Message HTML    ${msg}

Get Message Header returns decoded values
    ${msg} =    Send Corpus Message    11-windows-1251-russian.eml
    ${subject} =    Get Message Header    ${msg}    subject
    Should Be Equal    ${subject}    Счёт №17 за март
    ${organisation} =    Get Message Header    ${msg}    Organization
    Should Be Equal    ${organisation}    ООО Ромашка
    ${missing} =    Get Message Header    ${msg}    X-Missing
    Should Be Equal    ${missing}    ${None}

Get Message Header with all returns every value
    ${msg} =    Send Corpus Message    06-mailman-list-footer.eml
    ${received} =    Get Message Header    ${msg}    Received    all=True
    Length Should Be    ${received}    2
    Should Start With    ${received}[0]    from mail.lists.example.org (mail.lists.example.org [198.51.100.20])
    ${missing} =    Get Message Header    ${msg}    X-Missing    all=True
    Should Be Empty    ${missing}

Get Message Header fails on a bad name
    ${msg} =    Send Corpus Message    ${GMAIL}
    Run Keyword And Expect Error
    ...    Header name must be a name like 'Subject', without spaces or colon, got 'Subject:'.
    ...    Get Message Header    ${msg}    Subject:

Get Links From Message returns every link once, in order
    ${msg} =    Send Corpus Message    ${SES}
    ${links} =    Get Links From Message    ${msg}
    ${expected} =    Create List
    ...    https://app.acme-cloud.example/verify?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSIsImV4cCI6MTc0MzI0MDAwMH0.c2lnbmF0dXJl&email=alice%40example.com
    ...    mailto:support@acme-cloud.example?subject=Verification%20help
    ...    https://acme-cloud.example/privacy
    Should Be Equal    ${links}    ${expected}
    Should Be Equal    ${msg.links}    ${expected}

Get Links From Message filters with a pattern
    ${msg} =    Send Corpus Message    ${SES}
    ${links} =    Get Links From Message    ${msg}    pattern=^https://app\\.acme-cloud\\.example/verify\\?
    Length Should Be    ${links}    1
    Should End With    ${links}[0]    &email=alice%40example.com
    ${none} =    Get Links From Message    ${msg}    pattern=reset
    Should Be Empty    ${none}

Get Links From Message fails on a bad pattern
    ${msg} =    Send Corpus Message    ${SES}
    Run Keyword And Expect Error
    ...    Invalid regular expression in pattern='[': unterminated character set at position 0.
    ...    Get Links From Message    ${msg}    pattern=[

Get Attachments returns decoded attachments
    ${msg} =    Send Corpus Message    ${GMAIL}
    ${attachments} =    Get Attachments    ${msg}
    Length Should Be    ${attachments}    2
    Should Be Equal    ${attachments[0].filename}    Pièce d'identité.pdf
    Should Be Equal    ${attachments[0].content_type}    application/pdf
    Should Be Equal    ${attachments[0].size}    ${88}
    Should Start With    ${attachments[0].content}    ${{ b'%PDF-1.4' }}
    Should Be Equal    ${attachments[0].inline}    ${False}
    Should Be Equal    ${attachments[1].content_id}    f_m6z3k1q61
    Should Be Equal    ${msg.attachments[1].filename}    photo justificatif.jpg

Get Attachments flags inline images
    ${msg} =    Send Corpus Message    07-newsletter-related-images.eml
    ${attachments} =    Get Attachments    ${msg}
    Should Be Equal    ${{ [(a.filename, a.inline) for a in $attachments] }}    ${{ [('logo.png', True), ('spacer.gif', True)] }}

Get Attachments gives enclosed messages
    ${msg} =    Send Corpus Message    08-postfix-bounce-dsn.eml
    ${attachments} =    Get Attachments    ${msg}
    ${returned} =    Set Variable    ${attachments[1].message}
    ${subject} =    Get Message Header    ${returned}    Subject
    Should Be Equal    ${subject}    Your order № 1042 has shipped
    ${links} =    Get Links From Message    ${returned}
    Should Be Equal    ${links}    ${{ ['https://shop.example.com/orders/1042/track?key=7c1e'] }}

Get Attachments returns an empty list when there are none
    ${msg} =    Send Corpus Message    10-iso-8859-2-polish.eml
    ${attachments} =    Get Attachments    ${msg}
    Should Be Empty    ${attachments}

Save Attachment writes the file under its own name
    ${msg} =    Send Corpus Message    ${GMAIL}
    ${path} =    Save Attachment    ${msg}    Pièce d'identité.pdf    ${SAVED}
    Should Be Equal    ${path}    ${{ str(pathlib.Path($SAVED, "Pièce d'identité.pdf")) }}
    ${content} =    Get Binary File    ${path}
    ${attachments} =    Get Attachments    ${msg}
    Should Be Equal    ${content}    ${attachments[0].content}

Save Attachment keeps names from a mail inside the directory
    ${msg} =    Send Corpus Message    ${HOSTILE}
    ${path} =    Save Attachment    ${msg}    ../../../../etc/passwd    ${SAVED}/hostile
    Should Be Equal    ${path}    ${{ str(pathlib.Path($SAVED, "hostile", "passwd")) }}
    ${path} =    Save Attachment    ${msg}    CON.txt    ${SAVED}/hostile
    Should Be Equal    ${path}    ${{ str(pathlib.Path($SAVED, "hostile", "_CON.txt")) }}
    ${path} =    Save Attachment    ${msg}    Fête d’été 2025 — programme.pdf    ${SAVED}/hostile
    Should Be Equal    ${path}    ${{ str(pathlib.Path($SAVED, "hostile", "Fête d’été 2025 — programme.pdf")) }}
    ${files} =    List Files In Directory    ${SAVED}/hostile
    Should Be Equal    ${{ sorted($files) }}    ${{ sorted(['passwd', '_CON.txt', 'Fête d’été 2025 — programme.pdf']) }}

Save Attachment fails naming the attachments there are
    ${msg} =    Send Corpus Message    ${GMAIL}
    Run Keyword And Expect Error
    ...    Message #* has no attachment named 'invoice.pdf'. Its attachments: "Pièce d'identité.pdf", 'photo justificatif.jpg'.
    ...    Save Attachment    ${msg}    invoice.pdf    ${SAVED}

Save Attachment fails when the directory cannot be made
    ${msg} =    Send Corpus Message    ${GMAIL}
    Create File    ${SAVED}/a-file    not a directory
    Run Keyword And Expect Error
    ...    Cannot create directory '${SAVED}${/}a-file': a file of that name exists.
    ...    Save Attachment    ${msg}    photo justificatif.jpg    ${SAVED}/a-file

Save Message writes the message byte for byte
    ${msg} =    Send Corpus Message    12-iso-2022-jp-japanese.eml
    ${path} =    Save Message    ${msg}    ${SAVED}/saved/japanese.eml
    ${content} =    Get Binary File    ${path}
    ${original} =    Get Binary File    ${CORPUS}/12-iso-2022-jp-japanese.eml
    Should Be Equal    ${content}    ${original}

Save Message fails on a directory
    ${msg} =    Send Corpus Message    12-iso-2022-jp-japanese.eml
    Create Directory    ${SAVED}/dir.eml
    Run Keyword And Expect Error
    ...    Cannot write to '${SAVED}${/}dir.eml': it is a directory.
    ...    Save Message    ${msg}    ${SAVED}/dir.eml

Content keywords take what Get Messages returns, or bytes
    Send Corpus Message    ${GMAIL}
    ${messages} =    Get Messages
    ${text} =    Get Message Text    ${messages}
    Should Contain    ${text}    Voici les pièces demandées.
    ${raw} =    Get Binary File    ${CORPUS}/${SES}
    ${links} =    Get Links From Message    ${raw}    pattern=privacy
    Should Be Equal    ${links}    ${{ ['https://acme-cloud.example/privacy'] }}

Content keywords refuse anything but one message
    Send Corpus Message    ${GMAIL}
    Send Corpus Message    ${SES}
    ${messages} =    Get Messages
    Run Keyword And Expect Error
    ...    EQUALS:Argument message must be one message, got a list of 2: pick one, for example \${messages}[0].
    ...    Get Message Text    ${messages}
    Run Keyword And Expect Error
    ...    Argument message must be a message (as returned by Message Should Be Received Matching or Get Messages) or the bytes of one, got str 'hello'.
    ...    Get Attachments    hello
    ${none} =    Get Messages    subject=nothing like this
    Run Keyword And Expect Error
    ...    Argument message must be one message, got an empty list: no message was found.
    ...    Get Message HTML    ${none}

A misspelled argument name in a content keyword fails at once, naming it and the arguments
    ${msg} =    Send Corpus Message    ${GMAIL}
    Run Keyword And Expect Error
    ...    Unknown argument 'mesage' in message='mesage=*': the arguments are message. Did you mean message?
    ...    Get Message Text    mesage=${msg}
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'nme' in name='nme=From': the arguments are message, name, all. Did you mean name?
    ...    Get Message Header    ${msg}    nme=From
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'file' in filename='file=photo justificatif.jpg': the arguments are message, filename, directory. Did you mean filename?
    ...    Save Attachment    ${msg}    file=photo justificatif.jpg    ${SAVED}
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'dir' in directory='dir=${SAVED}': the arguments are message, filename, directory. To use such a directory, write it as ./dir=${SAVED}.
    ...    Save Attachment    ${msg}    photo justificatif.jpg    dir=${SAVED}
    Run Keyword And Expect Error
    ...    EQUALS:Unknown argument 'pth' in path='pth=${SAVED}/x.eml': the arguments are message, path. Did you mean path? To use such a file name, write it as ./pth=${SAVED}/x.eml.
    ...    Save Message    ${msg}    pth=${SAVED}/x.eml
    File Should Not Exist    pth=${SAVED}/x.eml

Attachment and link criteria
    Send Corpus Message    ${GMAIL}
    Send Corpus Message    ${SES}
    ${msg} =    Message Should Be Received Matching    attachment=^photo .*\\.jpg$
    Should Be Equal    ${msg.subject}    Re: Pièces jointes pour le dossier n° 2025-017
    ${msg} =    Message Should Be Received Matching    link=/verify\\?token=
    Should Be Equal    ${msg.subject}    Verify your email address
    ${messages} =    Get Messages    attachment=GLOB:*.pdf
    Length Should Be    ${messages}    1
    ${messages} =    Get Messages    link=CONTAINS:mailto:
    Length Should Be    ${messages}    2
    Message Should Not Be Received Matching    attachment=\\.exe$
    Message Should Not Be Received Matching    link=reset
    Run Keyword And Expect Error
    ...    A message matching link='privacy' arrived: from app@example.com to alice@example.com, subject 'Verify your email address'.
    ...    Message Should Not Be Received Matching    link=privacy

Attachment and link criteria name the nearest miss
    Send Corpus Message    ${GMAIL}
    Send Corpus Message    ${SES}
    Run Keyword And Expect Error
    ...    EQUALS:No message matching attachment='invoice', link='verify' arrived in 100 milliseconds. 2 messages arrived, closest first:\n1) from app@example.com to alice@example.com, subject 'Verify your email address': attachment names [] did not match 'invoice'\n2) from app@example.com to alice@example.com, subject 'Re: Pièces jointes pour le dossier n° 2025-017': attachment names ["Pièce d'identité.pdf", 'photo justificatif.jpg'] did not match 'invoice'; links ['https://dossiers.example.fr/2025-017/formulaire?etape=2&ref=ZF', 'mailto:dossiers@example.fr'] did not match 'verify'
    ...    Message Should Be Received Matching    attachment=invoice    link=verify    timeout=100 ms

A found message is saved next to the log
    ${msg} =    Send Corpus Message    ${GMAIL}
    ${name} =    Evaluate    'message-%d-%s.eml' % ($msg.seq, hashlib.sha256($msg.raw).hexdigest()[:10])    modules=hashlib
    ${saved} =    Get Binary File    ${OUTPUT DIR}/smtplibrary-mail/${name}
    Should Be Equal    ${saved}    ${msg.raw}

Every corpus message reads as expected through the keywords
    ${expected} =    Evaluate    json.loads(pathlib.Path($CORPUS, 'expected.json').read_text(encoding='utf-8'))
    ...    modules=json,pathlib
    Should Be True    len($expected) >= 20
    FOR    ${name}    IN    @{expected}
        Corpus Message Should Read As Expected    ${name}    ${expected}[${name}]
    END


*** Keywords ***
Start Server For Suite
    ${port} =    Start SMTP Server    alias=content
    Set Suite Variable    ${PORT}    ${port}
    Remove Directory    ${SAVED}    recursive=True

Send Corpus Message
    [Arguments]    ${name}
    ${raw} =    Get Binary File    ${CORPUS}/${name}
    Send Raw Mail    ${PORT}    ${raw}
    ${msg} =    Message Should Be Received Matching    pattern=EQUALS:${{ $raw.decode('utf-8', 'replace').replace('\r\n', '\n') }}
    Should Be Equal    ${msg.raw}    ${raw}
    RETURN    ${msg}

Corpus Message Should Read As Expected
    [Arguments]    ${name}    ${want}
    Reset Mailbox
    ${msg} =    Send Corpus Message    ${name}
    Should Be Equal    ${msg.subject}    ${want}[subject]
    ${from} =    Get Message Header    ${msg}    From
    Should Be Equal    ${from}    ${want}[from]
    IF    $want['text'] is None
        Run Keyword And Expect Error    Message #* has no text/plain part*    Get Message Text    ${msg}
    ELSE
        ${text} =    Get Message Text    ${msg}
        Should Contain    ${text}    ${want}[text]
    END
    IF    $want['html'] is None
        Run Keyword And Expect Error    Message #* has no text/html part*    Get Message HTML    ${msg}
    ELSE
        ${html} =    Get Message HTML    ${msg}
        Should Contain    ${html}    ${want}[html]
    END
    ${links} =    Get Links From Message    ${msg}
    Should Be Equal    ${links}    ${want}[links]
    ${attachments} =    Get Attachments    ${msg}
    Should Be Equal    ${{ [a.filename for a in $attachments] }}    ${{ [a['filename'] for a in $want['attachments']] }}
    FOR    ${wanted}    IN    @{want}[attachments]
        IF    $wanted['filename'] is not None
            ${path} =    Save Attachment    ${msg}    ${wanted}[filename]    ${SAVED}/corpus
            ${saved_as} =    Evaluate    $wanted.get('saved_as', $wanted['filename'])
            Should Be Equal    ${path}    ${{ str(pathlib.Path($SAVED, 'corpus', $saved_as)) }}
            Message Should Be Received Matching    attachment=EQUALS:${wanted}[filename]    timeout=0
        END
    END
    FOR    ${link}    IN    @{want}[links]
        Message Should Be Received Matching    link=EQUALS:${link}    timeout=0
    END
