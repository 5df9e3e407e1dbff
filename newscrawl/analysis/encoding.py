"""Decode a page's bytes when its charset labels cannot be trusted.

Vietnamese news pages reach us mislabelled more often than one would hope:
a `Content-Type: text/html; charset=ISO-8859-1` header on a UTF-8 body, a
`<meta charset>` that disagrees with the bytes, an old page saved in
Windows-1258 (which writes tones as *combining* marks after the vowel), a
body cut off in the middle of a UTF-8 sequence, a byte-order mark. Scrapy's
`response.text` believes the header first, which turns such pages into
mojibake. `decode_html` looks at the bytes instead:

1. a byte-order mark wins (UTF-8, UTF-16, UTF-32);
2. bytes that are valid UTF-8 (or valid but for a truncated last sequence,
   or with a rare stray byte among many real UTF-8 characters) are UTF-8,
   whatever the labels say: legacy text almost never forms valid UTF-8;
3. otherwise Vietnamese Windows-1258 when the bytes look like it and no
   label names a non-Western charset; else the header's charset, then the
   `<meta>` one, then Windows-1252.

The text returned is always NFC (Windows-1258's base letter + tone mark
become one character, as everywhere else in newscrawl). It never raises.
"""

from __future__ import annotations

import codecs
import unicodedata

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

__all__ = ["decode_html", "encode_cp1258", "declared_charset"]

# Labels for single-byte Western charsets: a Vietnamese page "declared" in one
# of them is a page whose author never declared anything real.
# (Names as codecs.lookup() spells them; WHATWG reads latin1/ascii labels as cp1252.)
_WESTERN = {"cp1252", "iso8859-1", "iso8859-15", "ascii", "utf-8", "cp1258", "mac-roman"}
# Windows-1258 bytes of the five combining tone marks (grave, hook, tilde, acute, dot below).
_CP1258_TONES = frozenset(b"\xcc\xd2\xde\xec\xf2")
# Bytes after which a tone mark is Vietnamese: ASCII vowels and cp1258's
# vowels (â ê ô ơ ư ă and their capitals, plus the precomposed ones it has).
_CP1258_VOWELS = frozenset(
    b for b in range(256)
    if unicodedata.normalize("NFD", bytes([b]).decode("cp1258", errors="ignore"))[:1].lower() in set("aeiouy")
)
# ơ ư đ ă and capitals: letters Western text does not use.
_CP1258_LETTERS = frozenset("ơưđăƠƯĐĂ".encode("cp1258"))
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _codec(label: str | bytes | None) -> str | None:
    """A Python codec name for a charset label (WHATWG aliases), or None."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("latin-1")
    name = resolve_encoding(label.strip().strip("\"'"))
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(declared: str | bytes | None) -> str | None:
    """The codec named by a Content-Type header value or a bare charset label."""
    if not declared:
        return None
    text = declared.decode("latin-1") if isinstance(declared, bytes) else declared
    if ";" in text or "/" in text or "charset" in text.lower():
        label = http_content_type_encoding(text)
        return _codec(label) if label else None
    return _codec(text)


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _utf8(body: bytes) -> str | None:
    """The body as UTF-8 if it is UTF-8 (a truncated last character dropped), else None."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(body) - 3:
            try:
                return body[: exc.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
    # Mostly UTF-8 with a rare stray byte (an ad snippet pasted from elsewhere):
    # real UTF-8 multi-byte characters far outnumber the errors.
    text = body.decode("utf-8", errors="replace")
    errors = text.count("\ufffd") - body.count("\xef\xbf\xbd".encode("latin-1"))
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if errors > 0 and multibyte >= 20 * errors:
        return text
    return None


def _looks_cp1258(body: bytes) -> bool:
    """Do the bytes read as Vietnamese in Windows-1258 (tone marks after vowels)?"""
    high = sum(1 for b in body if b >= 0x80)
    if not high:
        return False
    tones = sum(1 for prev, b in zip(body, body[1:]) if b in _CP1258_TONES and prev in _CP1258_VOWELS)
    letters = sum(1 for b in body if b in _CP1258_LETTERS)
    return tones >= 3 and (tones + letters) >= 0.3 * high


def _decode(body: bytes, codec: str, strict: bool) -> str | None:
    try:
        return body.decode(codec, errors="strict" if strict else "replace")
    except UnicodeDecodeError:
        return None
    except LookupError:  # pragma: no cover - codec names come from codecs.lookup
        return None


def decode_html(body: bytes, declared: str | bytes | None = None) -> tuple[str, str]:
    """`(text, codec)`: the page's text (NFC) and the Python codec used.

    `declared` is the Content-Type header value (or a bare charset label, or
    None); the `<meta>` charset is read from the body.
    """
    body = bytes(body or b"")
    if not body:
        return "", "utf-8"
    bom_codec, bom = read_bom(body)
    if bom_codec:
        codec = codecs.lookup(bom_codec).name
        rest = body[len(bom):]
        if codec == "utf-8":
            text = _utf8(rest)
            if text is None:
                text = rest.decode("utf-8", errors="replace")
        else:
            text = rest.decode(codec, errors="replace")
        return _nfc(text), codec

    text = _utf8(body)
    if text is not None:
        return _nfc(text), "utf-8"

    header = declared_charset(declared)
    meta = _codec(html_body_declared_encoding(body[:4096]))
    labels = [c for c in (header, meta) if c and c != "utf-8"]
    if all(label in _WESTERN for label in labels) and _looks_cp1258(body):
        return _nfc(body.decode("cp1258", errors="replace")), "cp1258"
    for codec in labels:
        text = _decode(body, codec, strict=True)
        if text is not None:
            return _nfc(text), codec
    codec = labels[0] if labels else "cp1252"
    text = _decode(body, codec, strict=False)
    if text is None:  # pragma: no cover - 'replace' does not raise
        codec, text = "latin-1", body.decode("latin-1")
    return _nfc(text), codec


def encode_cp1258(text: str, errors: str = "strict") -> bytes:
    """Vietnamese text as Windows writes it in code page 1258.

    Python's `cp1258` codec only maps characters one to one, so `ế` (which
    the code page lacks) fails; Windows writes it as `ê` + combining acute.
    This does the same: a precomposed character when the code page has one,
    else the base letter (with its circumflex, breve or horn) and the tone
    as a combining mark.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        tones = [c for c in decomposed if c in _TONE_MARKS]
        try:
            out += base.encode("cp1258") + "".join(tones).encode("cp1258")
        except UnicodeEncodeError:
            out += ch.encode("cp1258", errors=errors)
    return bytes(out)



def header_text(headers) -> dict[str, str]:
    """Scrapy's bytes headers as a plain dict of text (first value of each), as HTTP
    header bytes are Latin-1: for the archive and for checks that run elsewhere."""
    return {key.decode("latin-1"): headers.get(key).decode("latin-1") for key in headers}
