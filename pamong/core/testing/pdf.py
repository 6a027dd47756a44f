"""The text of a PDF that WeasyPrint wrote, for tests that check what a printed page says. WeasyPrint shows text
as hex glyph ids (`<0033…> Tj`/`TJ`) in Type0 fonts whose ToUnicode CMaps map glyphs back to characters; that is
all this reads (pyHanko's reader, already a dependency, opens the file). Text placed on the same baseline is
joined with a space, a new baseline starts a new line. Not a general PDF text extractor: literal strings and
other font encodings (which WeasyPrint does not write) are not read."""

from __future__ import annotations

import io
import re

from pyhanko.pdf_utils.reader import PdfFileReader

_TOKEN = re.compile(rb"/[^\s/\[\]<>()]+|<[0-9A-Fa-f\s]*>|\[|\]|-?[\d.]+|[A-Za-z'\"*]+")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def pdf_text(pdf: bytes) -> str:
    """Every page's text, pages separated by a form feed."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return "\f".join(_page_text(page) for page in _pages(reader.root["/Pages"]))


def _pages(node):
    node = node.get_object()
    if node.get("/Type") == "/Page":
        yield node
        return
    for kid in node["/Kids"]:
        yield from _pages(kid)


def _page_text(page) -> str:
    resources = page["/Resources"].get_object()
    font_dict = resources["/Font"].get_object() if "/Font" in resources else {}
    fonts = {str(name)[1:]: _cmap(font.get_object()) for name, font in font_dict.items()}
    contents = page["/Contents"]
    contents = contents.get_object() if hasattr(contents, "get_object") else contents
    streams = [c.get_object() for c in contents] if isinstance(contents, list) else [contents]
    lines: list[str] = []
    line, font, operands, baseline = [], {}, [], None
    for token in _TOKEN.findall(b"\n".join(s.data for s in streams)):
        if token[:1].isalpha() or token[:1] in b"'\"*":
            if token == b"Tf" and operands:
                font = fonts.get(operands[0].decode()[1:], {}) if operands[0][:1] == b"/" else font
            elif (token == b"Tm" and len(operands) == 6) or (token in (b"Td", b"TD") and len(operands) == 2):
                # Tm sets the baseline (its last operand); Td/TD move from it (a non-zero y is a new line)
                moved = operands[-1] != baseline if token == b"Tm" else float(operands[-1]) != 0
                if moved and line:
                    lines.append(" ".join(line))
                    line = []
                baseline = operands[-1] if token == b"Tm" else baseline
            elif token in (b"Tj", b"TJ", b"'", b'"'):
                line.append("".join(_decode(o, font) for o in operands if o[:1] == b"<"))
            operands = []
        elif token in (b"[", b"]"):
            continue
        else:
            operands.append(token)
    lines.append(" ".join(line))
    return "\n".join(text for text in lines if text.strip())


def _decode(hex_string: bytes, cmap: dict[int, str]) -> str:
    digits = re.sub(rb"\s", b"", hex_string[1:-1])
    return "".join(cmap.get(int(digits[i : i + 4], 16), "\ufffd") for i in range(0, len(digits), 4))


def _cmap(font) -> dict[int, str]:
    """Glyph id → text from the font's ToUnicode CMap (bfchar and bfrange entries)."""
    if "/ToUnicode" not in font:
        return {}
    data = font["/ToUnicode"].get_object().data
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, start in _BFRANGE.findall(block):
            for offset in range(int(last, 16) - int(first, 16) + 1):
                out[int(first, 16) + offset] = chr(int(start, 16) + offset)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for glyph, text in _BFCHAR.findall(block):
            out[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return out
