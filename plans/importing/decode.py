"""Bytes → text.

Supported inputs:

* plain text in UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK/GB2312 and
  Big5 — the encoding is chosen only when the bytes decode *strictly*; when several
  candidates decode, the one whose text looks like Chinese prose wins.  Nothing is
  ever decoded with replacement characters: if no encoding decodes cleanly a
  :class:`PlanImportError` is raised;
* ``.docx`` (zip magic ``PK``): paragraphs and tables in document order, each table
  row written as one ``cell | cell | cell`` line.  Zip bombs are rejected from the
  declared sizes before anything is inflated, and the one part we read is read with
  a byte cap;
* ``.pdf`` (``%PDF`` magic): pdfplumber text plus tables (rows as ``|`` lines), in
  page order.  A PDF without a text layer is rejected (no OCR).
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from .docx_numbering import Numbering
from .errors import PlanImportError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# zip limits
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_TOTAL = 200 * 1024 * 1024
MAX_DOCX_XML = 60 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_PDF_PAGES = 200
# PDF streams: what one compressed stream, and all of them together, may inflate to
MAX_PDF_STREAM = 64 * 1024 * 1024
MAX_PDF_INFLATED = 256 * 1024 * 1024


@dataclass(frozen=True)
class DecodedDocument:
    text: str
    kind: str  # "text" | "docx" | "pdf"
    encoding: str | None = None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n} 字节"


def _too_large(max_bytes: int) -> PlanImportError:
    return PlanImportError(f"文件过大:超过 {_mb(max_bytes)} 的上限。", "too_large")


def is_pdf(data) -> bool:
    """Bytes that carry a PDF header within their first KB (some writers put junk before it)."""
    return isinstance(data, (bytes, bytearray, memoryview)) and b"%PDF-" in bytes(data[:1024])


def decode_document(
    data: bytes | str, *, filename: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> DecodedDocument:
    """Turn uploaded bytes (or already-decoded text) into text."""
    if isinstance(data, str):
        if len(data) > max_bytes:
            raise _too_large(max_bytes)
        if not data.strip():
            raise PlanImportError("文件为空,没有可导入的内容。", "empty")
        return DecodedDocument(_clean_text(data), "text", None)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise PlanImportError("无法读取上传的内容。", "unsupported")
    data = bytes(data)
    if len(data) == 0:
        raise PlanImportError("文件为空,没有可导入的内容。", "empty")
    if len(data) > max_bytes:
        raise _too_large(max_bytes)

    ext = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return DecodedDocument(_clean_text(docx_to_text(data)), "docx", None)
    if is_pdf(data):
        return DecodedDocument(_clean_text(pdf_to_text(data)), "pdf", None)
    _reject_known_binary(data, ext)
    if ext in {"docx", "pdf"}:
        raise PlanImportError(f"文件扩展名是 .{ext},但内容不是有效的 {ext.upper()} 文件。", "corrupt")
    text, enc = decode_text_bytes(data)
    if not text.strip():
        raise PlanImportError("文件为空,没有可导入的内容。", "empty")
    return DecodedDocument(_clean_text(text), "text", enc)


def check_document(data: bytes | str, *, filename: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """The refusals that take little time, for before a document is queued to be read.

    Empty, too large, not a document; a docx is read whole (its zip is checked before it is
    inflated); a pdf is checked for its page count and for what its streams inflate to, its
    text being the reader's to extract; a text file is decoded from its first lines.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > max_bytes:
            raise _too_large(max_bytes)
        if is_pdf(data):
            _check_pdf_streams(data)
            _check_pdf_pages(data)
            return
        if not data.startswith(b"PK") and len(data) > _SNIFF_BYTES:
            cut = data.rfind(b"\n", 0, _SNIFF_BYTES)
            data = data[: cut if cut > 0 else _SNIFF_BYTES]
    decode_document(data, filename=filename, max_bytes=max_bytes)


_SNIFF_BYTES = 64 * 1024


_BINARY_MAGIC = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "不支持旧版 Word/WPS(.doc/.wps)文件,请另存为 .docx 或 .txt 后再导入。"),
    (b"\x89PNG", "不支持图片文件(需要 OCR),请上传文字版文件。"),
    (b"\xff\xd8\xff", "不支持图片文件(需要 OCR),请上传文字版文件。"),
    (b"GIF8", "不支持图片文件,请上传文字版文件。"),
    (b"Rar!", "不支持压缩包,请解压后上传 .docx、.pdf 或 .txt 文件。"),
    (b"7z\xbc\xaf", "不支持压缩包,请解压后上传 .docx、.pdf 或 .txt 文件。"),
    (b"\x1f\x8b", "不支持压缩包,请解压后上传 .docx、.pdf 或 .txt 文件。"),
    (b"{\\rtf", "不支持 RTF 文件,请另存为 .docx 或 .txt 后再导入。"),
]


def _reject_known_binary(data: bytes, ext: str) -> None:
    for magic, msg in _BINARY_MAGIC:
        if data.startswith(magic):
            raise PlanImportError(msg, "unsupported")
    if ext in {"doc", "wps", "xls", "xlsx", "ppt", "pptx", "png", "jpg", "jpeg", "zip", "rar", "ofd"}:
        raise PlanImportError(f"不支持 .{ext} 文件,请上传 .docx、.pdf 或 .txt 文件。", "unsupported")


# ---------------------------------------------------------------- plain text

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PUA_RE = re.compile(r"[\ue000-\uf8ff\ufffd]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_RARE_RE = re.compile(r"[\u3400-\u4dbf\uf900-\ufaff\u2e80-\u2fdf\u31c0-\u31ef\u0080-\u00ff\u0370-\u052f]")


def _quality(text: str) -> float:
    """Share of characters that look like garbage (control, private use, rare)."""
    if not text:
        return 1.0
    bad = len(_CONTROL_RE.findall(text)) * 5 + len(_PUA_RE.findall(text)) * 3 + len(_RARE_RE.findall(text))
    return bad / len(text)


def _common_score(text: str) -> float:
    """How much of the CJK text is in the common GB2312 set (simplified or not)."""
    cjk = _CJK_RE.findall(text)
    if not cjk:
        return 0.0
    common = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            try:
                ch.encode("big5")
                common += 0.8
            except UnicodeEncodeError:
                pass
    return common / len(cjk)


def decode_text_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes strictly; raise :class:`PlanImportError` when nothing fits."""
    boms = [
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ]
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise PlanImportError(
                    "文件开头标明了编码,但内容无法按该编码解码,文件可能已损坏。", "encoding"
                ) from None
            _check_plausible(text)
            return text, enc.replace("-sig", "")
    candidates: list[tuple[str, str]] = []
    try:
        candidates.append(("utf-8", data.decode("utf-8")))
    except UnicodeDecodeError:
        for enc in ("gb18030", "big5"):
            try:
                candidates.append((enc, data.decode(enc)))
            except UnicodeDecodeError:
                continue
    if not candidates:
        raise PlanImportError(
            "无法识别文件编码:文件既不是 UTF-8,也不是 GBK/GB18030 或 Big5 编码的文字,可能不是文本文件。",
            "encoding",
        )
    if len(candidates) > 1:
        candidates.sort(key=lambda c: (_quality(c[1]) - _common_score(c[1])))
    enc, text = candidates[0]
    _check_plausible(text)
    return text, enc


def _check_plausible(text: str) -> None:
    if not text.strip():
        raise PlanImportError("文件为空,没有可导入的内容。", "empty")
    if _quality(text) > 0.15:
        raise PlanImportError("文件内容无法识别为文字(含有大量乱码或二进制数据)。", "binary")


def _clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub(" ", text)


# ---------------------------------------------------------------- docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    # NotImplementedError: a version or feature zipfile cannot read (found by tests/reliability/test_fuzz_uploads.py)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        raise PlanImportError("压缩格式损坏,无法作为 .docx 文件读取。", "corrupt") from None
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise PlanImportError("文档内部文件过多,疑似恶意文件,已拒绝。", "zip_bomb")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO:
            raise PlanImportError("文档压缩比异常(疑似压缩炸弹),已拒绝。", "zip_bomb")
    if total > MAX_ZIP_TOTAL:
        raise PlanImportError("文档解压后体积过大(疑似压缩炸弹),已拒绝。", "zip_bomb")
    return zf


def _read_capped(zf: zipfile.ZipFile, name: str, cap: int) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise PlanImportError("这不是有效的 .docx 文件(缺少正文部分)。", "unsupported") from None
    if info.file_size > cap:
        raise PlanImportError("文档正文过大,已拒绝。", "zip_bomb")
    try:
        with zf.open(info) as fh:
            raw = fh.read(cap + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        raise PlanImportError("文档已损坏,无法读取正文。", "corrupt") from None
    except Exception:  # zlib.error and friends
        raise PlanImportError("文档已损坏,无法读取正文。", "corrupt") from None
    if len(raw) > cap:
        raise PlanImportError("文档正文过大,已拒绝。", "zip_bomb")
    return raw


def docx_to_text(data: bytes) -> str:
    zf = _open_zip(data)
    names = set(zf.namelist())
    if "word/document.xml" not in names:
        raise PlanImportError("压缩包中没有 Word 正文,不是有效的 .docx 文件。", "unsupported")
    raw = _read_capped(zf, "word/document.xml", MAX_DOCX_XML)
    try:
        from lxml import etree  # noqa: PLC0415

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
        root = etree.fromstring(raw, parser=parser)
    except Exception:
        raise PlanImportError("文档正文 XML 已损坏,无法解析。", "corrupt") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise PlanImportError("文档没有正文内容。", "empty")
    numbering = Numbering.from_xml(
        _optional_part(zf, names, "word/numbering.xml", parser), _optional_part(zf, names, "word/styles.xml", parser)
    )
    lines: list[str] = []
    _walk_block(body, lines, numbering)
    text = "\n".join(lines)
    if not text.strip():
        raise PlanImportError("文档中没有文字内容(可能是图片或扫描件,不支持 OCR)。", "empty")
    return text


def _para_text(p) -> str:
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == f"{_W}t":
            parts.append(el.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _optional_part(zf: zipfile.ZipFile, names: set[str], name: str, parser):
    """A supporting XML part (numbering, styles); a missing or broken one only costs the labels."""
    if name not in names:
        return None
    try:
        from lxml import etree  # noqa: PLC0415

        return etree.fromstring(_read_capped(zf, name, MAX_DOCX_XML), parser=parser)
    except PlanImportError:
        raise
    except Exception:
        return None


def _walk_block(parent, lines: list[str], numbering: Numbering) -> None:
    for child in parent:
        tag = child.tag
        if tag == f"{_W}p":
            lines.append(numbering.label(child) + _para_text(child))
        elif tag == f"{_W}tbl":
            _table_lines(child, lines)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _walk_block(content, lines, numbering)


def _table_lines(tbl, lines: list[str]) -> None:
    for tr in tbl.iter(f"{_W}tr"):
        if tr.getparent() is not None and tr.getparent() is not tbl:
            # rows of nested tables are flattened into their cell text
            continue
        cells: list[str] = []
        for tc in tr.findall(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span = 1
            continued = False
            if tcpr is not None:
                gs = tcpr.find(f"{_W}gridSpan")
                if gs is not None:
                    try:
                        span = max(1, min(int(gs.get(f"{_W}val", "1")), 50))
                    except ValueError:
                        span = 1
                vm = tcpr.find(f"{_W}vMerge")
                if vm is not None and vm.get(f"{_W}val") in (None, "continue"):
                    continued = True
            text = (
                ""
                if continued
                else " ".join(t for t in (_para_text(p).replace("\n", " ").strip() for p in tc.iter(f"{_W}p")) if t)
            )
            cells.append(text.replace("|", "/"))
            cells.extend([""] * (span - 1))
        if any(cells):
            lines.append(" | ".join(cells))
    lines.append("")


# ---------------------------------------------------------------- pdf


def pdf_to_text(data: bytes) -> str:
    try:
        import pdfplumber  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        raise PlanImportError("服务器未安装 PDF 解析组件。", "unsupported") from None
    _check_pdf_streams(data)
    out: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            # The page tree's own count first: it costs nothing, where listing the pages costs a second per 500.
            if _declared_pages(pdf) > MAX_PDF_PAGES or len(pdf.pages) > MAX_PDF_PAGES:
                raise _too_many_pages()
            for page in pdf.pages:
                out.append(_pdf_page_text(page))
    except PlanImportError:
        raise
    except Exception:
        raise PlanImportError("PDF 文件已损坏或已加密,无法读取。", "corrupt") from None
    text = "\n".join(out)
    visible = re.sub(r"\s+", "", text)
    if len(visible) < 4:
        raise PlanImportError("PDF 没有文字层(可能是扫描件),不支持 OCR,请上传文字版 PDF 或 Word 文件。", "pdf_no_text")
    if visible.count("(cid:") * 8 > len(visible) * 0.3:
        raise PlanImportError("PDF 字体未嵌入文字映射,无法提取文字(不支持 OCR)。", "pdf_no_text")
    return text


def _too_many_pages() -> PlanImportError:
    return PlanImportError(f"PDF 页数过多(超过 {MAX_PDF_PAGES} 页),请分册导入。", "too_large")


def _check_pdf_pages(data: bytes) -> None:
    import pdfplumber  # noqa: PLC0415

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = _declared_pages(pdf)
    except Exception:
        raise PlanImportError("PDF 文件已损坏或已加密,无法读取。", "corrupt") from None
    if pages > MAX_PDF_PAGES:
        raise _too_many_pages()


def _declared_pages(pdf) -> int:
    from pdfminer.pdftypes import resolve1  # noqa: PLC0415

    try:
        return int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return 0


_PDF_STREAM_RE = re.compile(rb"stream\r?\n")


def _inflated_size(compressed: bytes, cap: int) -> int:
    """How many bytes a Flate stream inflates to, counted in slices and never kept; stops past `cap`."""
    inflater = zlib.decompressobj()
    size, pending = 0, compressed
    try:
        while pending and size <= cap:
            size += len(inflater.decompress(pending, 1024 * 1024))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # not Flate, or damaged: the reader will judge it
    return size


def _check_pdf_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams would inflate beyond the caps, before any reader inflates them."""
    total = 0
    for match in _PDF_STREAM_RE.finditer(data):
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        size = _inflated_size(data[match.end() : end], MAX_PDF_STREAM)
        total += size
        if size > MAX_PDF_STREAM or total > MAX_PDF_INFLATED:
            raise PlanImportError(
                "PDF 中含有解压后过大的内容(可能是压缩炸弹),无法读取。请另存为 .docx 或 .txt 后再导入。", "too_complex"
            )


def _pdf_page_text(page) -> str:
    try:
        tables = page.find_tables()
    except Exception:
        tables = []
    blocks: list[tuple[float, str]] = []
    bboxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in bboxes)

    body = page.filter(outside) if bboxes else page
    try:
        for line in body.extract_text_lines(layout=False, strip=True, return_chars=False):
            blocks.append((float(line.get("top", 0)), line.get("text", "")))
    except Exception:
        txt = body.extract_text() or ""
        blocks.extend((float(i), t) for i, t in enumerate(txt.splitlines()))
    for table in tables:
        try:
            rows = table.extract()
        except Exception:
            continue
        top = float(table.bbox[1])
        for i, row in enumerate(rows):
            cells = [(c or "").replace("\n", "").replace("|", "/").strip() for c in row]
            if any(cells):
                blocks.append((top + i * 0.001, " | ".join(cells)))
    blocks.sort(key=lambda b: b[0])
    return "\n".join(b[1] for b in blocks)
