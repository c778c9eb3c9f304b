"""PDFs written by hand for tests: many pages, or one stream that inflates far beyond its size."""

import struct
import zlib


def document(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def pages_pdf(pages: int, line: str = "1. Build playgrounds.") -> bytes:
    """`pages` pages of one Helvetica text line each."""
    text = b"BT /F1 11 Tf 50 740 Td (" + line.encode("latin-1") + b") Tj ET"
    first_page = 4
    kids = " ".join(f"{first_page + 2 * n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for n in range(pages):
        contents = first_page + 2 * n + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(_stream(text))
    return document(objects)


def inflating_stream(inflated_mb: int) -> bytes:
    """A valid zlib stream of `inflated_mb` MB of spaces, built in about a second.

    After a full flush deflate forgets what came before, so the compressed form of each further
    megabyte is the same bytes; only the checksum needs the whole input.
    """
    megabyte = b" " * 1024 * 1024
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(megabyte) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(megabyte) + deflate.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(inflated_mb):
        checksum = zlib.adler32(megabyte, checksum)
    body = first + repeated * (inflated_mb - 1) + deflate.flush()
    return b"\x78\xda" + body + struct.pack(">I", checksum)


def bomb_pdf(inflated_mb: int = 2048) -> bytes:
    """One page whose content stream inflates to `inflated_mb` MB of spaces (about 2 MB as sent)."""
    stream = inflating_stream(inflated_mb)
    return document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
