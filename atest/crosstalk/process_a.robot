*** Settings ***
Documentation     One of four identical senders: see crosstalk.resource.
Resource          crosstalk.resource


*** Test Cases ***
Only my own mail arrives while the others send theirs
    Only My Own Mail Arrives While The Others Send Theirs
