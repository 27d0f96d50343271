"""A data text's encoding and blank lines, found in one read of a UTF-8 text.

`read_text_facts` must say what `detect_encoding` and `has_blank_lines` say, wherever an empty
line falls: at the start, at the end, split across two chunks of the read, with CRLF endings.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from orchestration import text_decoding as decoding

ROW = b"E;1;2024;88;13;C20A;2011;DE;1000;20"
TEXTS = {
    "no blank line": ROW + b"\n" + ROW + b"\n",
    "no final newline": ROW + b"\n" + ROW,
    "blank line inside": ROW + b"\n\n" + ROW + b"\n",
    "blank CRLF line inside": ROW + b"\r\n\r\n" + ROW + b"\r\n",
    "CRLF, no blank line": ROW + b"\r\n" + ROW + b"\r\n",
    "starts with a newline": b"\n" + ROW + b"\n",
    "starts with CRLF": b"\r\n" + ROW + b"\n",
    "ends with an empty line": ROW + b"\n\n",
    "UTF-8 with BOM, blank line": codecs.BOM_UTF8 + "Évry".encode() + b"\n\n" + ROW,
    "UTF-8 with BOM, empty first line": codecs.BOM_UTF8 + b"\n" + ROW + b"\n",
    "UTF-8 with BOM, empty first CRLF line": codecs.BOM_UTF8 + b"\r\n" + ROW + b"\r\n",
    "Windows-1252, blank line": "Œuvre ’".encode("cp1252") + b"\n\n" + ROW,
    "Windows-1252, none": "Œuvre ’".encode("cp1252") + b"\n" + ROW,
    "Latin-1 only": b"\x81\x8d" + b"\n" + ROW,
}
EXPECTED_ENCODING = {name: decoding.UTF8 for name in TEXTS} | {
    "UTF-8 with BOM, blank line": decoding.UTF8_BOM,
    "UTF-8 with BOM, empty first line": decoding.UTF8_BOM,
    "UTF-8 with BOM, empty first CRLF line": decoding.UTF8_BOM,
    "Windows-1252, blank line": decoding.CP1252,
    "Windows-1252, none": decoding.CP1252,
    "Latin-1 only": decoding.LATIN1,
}


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 4 * 1024 * 1024], ids=lambda size: f"chunks of {size} bytes")
@pytest.mark.parametrize("name", list(TEXTS))
def test_one_read_says_what_the_two_reads_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, chunk: int
) -> None:
    """A UTF-8 text's blank lines come with its encoding; any other text's are asked of it once
    transcoded (a BOM, gone from the transcoded text, must not hide an empty first line)."""
    path = tmp_path / "text.txt"
    path.write_bytes(TEXTS[name])
    monkeypatch.setattr(decoding, "_CHUNK", chunk)  # an empty line split across two reads
    facts = decoding.read_text_facts(path)
    assert facts.encoding == EXPECTED_ENCODING[name]
    if facts.encoding == decoding.UTF8:
        assert facts.has_blank_lines == decoding.has_blank_lines(path)
        read = path
    else:
        assert facts.has_blank_lines is None
        read = decoding.transcode_to_utf8(path, tmp_path / "utf8.txt", facts.encoding)
    text = b"\n" + read.read_bytes()  # a text starting with a newline starts with an empty line
    assert decoding.has_blank_lines(read) == (b"\n\n" in text or b"\n\r\n" in text)


def test_the_usual_text_is_utf8_with_no_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "Region_2024_Export.txt"
    path.write_bytes((ROW + b"\n") * 1000)
    assert decoding.read_text_facts(path) == decoding.TextFacts(decoding.UTF8, False)
