"""raqib.text.decode: encodings, BOMs, binary and empty input."""

import pytest

from raqib.text.decode import DecodeError, decode_bytes

AR = "قال الرئيس إن المحادثات مع الجانب الآخر كانت بنّاءة، وأضاف أن الهدنة صامدة (حتى الآن) بنسبة 90%."


def test_utf8():
    assert decode_bytes(AR.encode("utf-8")) == (AR, "utf-8")


def test_utf8_bom_is_stripped_only():
    text, enc = decode_bytes(b"\xef\xbb\xbf" + ("سطر\r\nسطر").encode("utf-8"))
    assert text == "سطر\r\nسطر"  # newlines untouched
    assert enc == "utf-8-sig"


@pytest.mark.parametrize("codec, name", [("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_bom(codec, name):
    data = AR.encode(codec) if codec == "utf-16" else b"\xfe\xff" + AR.encode(codec)
    assert decode_bytes(data) == (AR, name)


def test_utf16_without_bom():
    assert decode_bytes(AR.encode("utf-16-le")) == (AR, "utf-16-le")


def test_cp1256():
    assert decode_bytes(AR.encode("cp1256")) == (AR, "cp1256")


def test_iso_8859_6():
    text = "قال الرئيس ان المحادثات كانت بناءة، واضاف ان الهدنة صامدة."
    assert decode_bytes(text.encode("iso-8859-6")) == (text, "iso-8859-6")


@pytest.mark.parametrize("short", ["ي", "ولي العهد", "في"])
def test_short_single_byte_texts(short):
    assert decode_bytes(short.encode("cp1256"))[0] == short
    assert decode_bytes(short.encode("iso-8859-6"))[0] == short


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\t \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n"])
def test_empty(data):
    with pytest.raises(DecodeError, match="empty input"):
        decode_bytes(data)


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", bytes(range(256)) * 8, b"%PDF-1.4\x00\x01\x02\x03" * 10,
     b"\x01\x02\x03\x04\x05\x06abc" * 20],
)
def test_binary(data):
    with pytest.raises(DecodeError, match="binary data"):
        decode_bytes(data)


def test_undecodable():
    with pytest.raises(DecodeError, match="undecodable"):
        decode_bytes(b"\x81\x8d\x8f\x90\x9d" * 20)


def test_decode_error_is_value_error():
    assert issubclass(DecodeError, ValueError)
