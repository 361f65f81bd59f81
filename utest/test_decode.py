import pytest

from SMTPLibrary.core import ReceivedMessage
from SMTPLibrary.core.mail.decode import clean, codec_name, decode_text, unflow


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ('"iso-8859-2"', "iso8859-2"),
        ("us-ascii", "cp1252"),
        ("iso-8859-1", "cp1252"),
        ("windows-1251", "cp1251"),
        ("ks_c_5601-1987", "cp949"),
        ("gb2312", "gbk"),
        ("x-mac-roman", "mac-roman"),
        ("iso-8859-8-i", "iso8859-8"),
        ("x-sjis", "shift_jis"),
        ("unknown-8bit", None),
        ("", None),
        (None, None),
    ],
)
def test_charset_labels_are_read_as_mail_readers_read_them(label, codec):
    assert codec_name(label) == codec


@pytest.mark.parametrize(
    ("data", "declared", "text", "note"),
    [
        (b"plain", None, "plain", None),
        ("Grüße".encode(), "utf-8", "Grüße", None),
        ("Grüße".encode("latin-1"), "iso-8859-1", "Grüße", None),
        # Windows-1252 quotes in "ISO-8859-1" text: what the label means in practice.
        (b"\x93quoted\x94", "iso-8859-1", "\u201cquoted\u201d", None),
        ("Grüße".encode(), "iso-8859-1", "Grüße", "declared charset iso-8859-1 but the text is UTF-8"),
        ("café".encode("cp1252"), "utf-8", "café", "the text is not valid utf-8: decoded as windows-1252"),
        ("Grüße".encode(), "x-nonsense", "Grüße", "unknown charset 'x-nonsense': decoded as utf-8"),
        ("Grüße".encode(), None, "Grüße", "8-bit text without a declared charset: decoded as utf-8"),
        ("こんにちは".encode("iso-2022-jp"), "iso-2022-jp", "こんにちは", None),
        ("Привет".encode("koi8-r"), "koi8-r", "Привет", None),
    ],
)
def test_decode_text(data, declared, text, note):
    assert decode_text(data, declared) == (text, note)


def test_decode_text_never_fails():
    text, note = decode_text(bytes(range(256)), "utf-8")
    assert len(text) == 256
    assert note == "the text is not valid utf-8: decoded as latin-1"


def test_unflow_joins_soft_breaks_and_keeps_hard_ones():
    flowed = "This is a long \nparagraph that \nflows.\nHard break.\n\n-- \nSignature"
    assert unflow(flowed, delsp=False) == "This is a long paragraph that flows.\nHard break.\n\n-- \nSignature"


def test_unflow_delsp_and_space_stuffing():
    assert unflow("Kompositum\u00adbil \ndung\n From here", delsp=True) == "Kompositum\u00adbildung\nFrom here"


def test_unflow_keeps_quote_depths_apart():
    flowed = "> quoted \n> line\n>> deeper \n>> too\nown"
    assert unflow(flowed, delsp=False) == "> quoted line\n>> deeper too\nown"


def test_html_charset_from_meta_when_the_part_declares_none():
    raw = b'Content-Type: text/html\r\n\r\n<meta charset="windows-1251"><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>\r\n'
    assert "Привет" in ReceivedMessage(raw, "", []).html


def test_clean_replaces_lone_surrogates():
    assert clean("ok") == "ok"
    assert clean("caf\udce9") == "caf\ufffd"
    assert clean("a\ud800b") == "a?b"


def test_a_codec_that_is_no_charset_is_an_unknown_charset():
    from SMTPLibrary.core.mail.decode import codec_name, decode_text

    assert codec_name("hex") is None
    assert codec_name("rot13") is None
    assert decode_text(b"caf\xc3\xa9", "hex") == ("café", "unknown charset 'hex': decoded as utf-8")
