"""Fixtures for the attachments tests: real (tiny) files built in the test, a private store.

Every test gets its own attachments directory, so "no file left behind" can be asserted by
listing it.
"""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from homeward.attachments import services

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)


LYING_NAME = (
    "The file is named “.pdf” but its content is a PNG file. Check that you chose the right file."
)
NOT_ACCEPTED = (
    "Only PDF documents and JPEG, PNG or TIFF images are accepted; "
    "this file's content is none of them."
)


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A valid greyscale PNG of the given size."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _row in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes(exif: bytes = b"") -> bytes:
    """A real 8×8 JPEG (uploads are decoded to strip their metadata), optionally with EXIF."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


JPEG = jpeg_bytes()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    """Every file under the attachments directory (staging files included)."""
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture(autouse=True)
def attachments_dir(settings, tmp_path) -> Path:
    root = tmp_path / "private" / "attachments"
    settings.HOMEWARD_ATTACHMENTS_DIR = root
    return root


@pytest.fixture
def ru_court_decision(users, registry):
    """A non-sensitive court decision on the Russian child, attached by the MFA officer."""
    return services.add_attachment(
        registry["ru_child"],
        actor=users["mfa.officer"],
        upload=upload("decision.pdf", MINIMAL_PDF),
        kind="court_decision",
        title="Juvenile court decision 112/2024",
        language="ar",
    )


@pytest.fixture
def tj_court_decision(users, registry):
    return services.add_attachment(
        registry["tj_child"],
        actor=users["mfa.officer"],
        upload=upload("decision.pdf", MINIMAL_PDF + b"% tj\n"),
        kind="court_decision",
        title="Juvenile court decision 113/2024",
    )


@pytest.fixture
def ru_dna_report(users, registry):
    return services.add_attachment(
        registry["ru_child"],
        actor=users["moh.lab"],
        upload=upload("dna.pdf", MINIMAL_PDF + b"% dna\n"),
        kind="dna_report",
        title="Maternity confirmed (99.99%)",
    )
