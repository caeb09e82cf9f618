"""G17 (files): a malicious corpus is refused; accepted files are sealed on disk, stripped of
metadata, scanned by a hook that fails closed, and served decrypted only by the scoped view."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from homeward.attachments import services
from homeward.attachments.models import Attachment

from .conftest import MINIMAL_PDF, NOT_ACCEPTED, jpeg_bytes, png_bytes, stored_files, upload

SCANNED = []


def recording_scanner(path, *, filename, content_type):
    SCANNED.append((path.read_bytes(), filename, content_type))


def broken_scanner(path, *, filename, content_type):
    raise ConnectionRefusedError("clamd is not running")


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def pixel_flood_png(side: int = 20_000) -> bytes:
    """A PNG whose header claims side×side pixels (a few hundred bytes on the wire)."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\x00" * (20 * 1024 * 1024))
    data = out.getvalue()
    assert 20 * 1024 * 1024 / len(data) >= 1000  # a real ≥ 1000:1 bomb
    return data


def zip_slip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("../../etc/cron.d/evil", b"* * * * * root sh")
    return out.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n" + MINIMAL_PDF[9:]

CORPUS = [
    ("polyglot pdf/html", "decision.pdf", POLYGLOT, "polyglot"),
    ("svg with script", "drawing.svg", SVG, "type"),
    ("svg with script named pdf", "drawing.pdf", SVG, "type"),
    ("pdf holding elf", "report.pdf", ELF, "type"),
    ("pdf holding pe", "report.pdf", PE, "type"),
    ("zip bomb", "scans.zip", zip_bomb(), "type"),
    ("zip bomb named pdf", "scans.pdf", zip_bomb(), "type"),
    ("zip with ../ entry", "scans.zip", zip_slip(), "type"),
    ("20k x 20k png", "photo.png", pixel_flood_png(), "pixels"),
    ("filename with ../", "../../etc/passwd.pdf", MINIMAL_PDF, "filename"),
    ("filename with backslashes", "..\\..\\boot.pdf", MINIMAL_PDF, "filename"),
    ("filename with NUL", "decision.pdf\x00.exe", MINIMAL_PDF, "filename"),
    ("filename with RTL override", "decision\u202efdp.exe", MINIMAL_PDF, "filename"),
]


@pytest.mark.parametrize(
    ("label", "name", "content", "code"), CORPUS, ids=[case[0] for case in CORPUS]
)
def test_the_malicious_corpus_is_refused_leaving_nothing(
    users, registry, attachments_dir, label, name, content, code
):
    with pytest.raises(ValidationError) as refused:
        services.add_attachment(
            registry["ru_child"],
            actor=users["mfa.officer"],
            upload=ContentFile(content, name=name),  # the raw name, as a crafted client sends
            kind="other",
            title="T",
        )
    errors = refused.value.error_dict["file"]
    if code == "type":  # refused by the content-type allowlist
        assert [e.message for e in errors] == [NOT_ACCEPTED]
    else:
        assert [e.code for e in errors] == [code]
    assert Attachment.objects.count() == 0
    assert stored_files(attachments_dir) == []


def _add(users, registry, name, content):
    return services.add_attachment(
        registry["ru_child"],
        actor=users["mfa.officer"],
        upload=upload(name, content),
        kind="other",
        title="T",
    )


def test_png_is_sealed_on_disk_and_served_clear(client, users, registry):
    row = _add(users, registry, "scan.png", png_bytes(4, 4))
    on_disk = row.path.read_bytes()
    assert not on_disk.startswith(b"\x89PNG") and b"IHDR" not in on_disk
    assert on_disk[0] == 1  # format version, then the file key's id
    clear = services.read_clear(row)
    assert clear.startswith(b"\x89PNG")
    client.force_login(users["mfa.officer"])
    response = client.get(f"/attachments/{row.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == clear
    # nothing maps the private store to a URL
    assert client.get(f"/media/{row.storage_key[:2]}/{row.storage_key}").status_code == 404


def test_exif_and_png_text_are_stripped(users, registry):
    exif = Image.Exif()
    exif[0x010F] = "CNRYcameraCNRY"  # Make
    exif[0x9286] = "CNRYcommentCNRY"  # UserComment
    jpeg = _add(users, registry, "photo.jpg", jpeg_bytes(exif=exif.tobytes()))
    png_source = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "CNRYgpsCNRY")
    Image.new("L", (4, 4)).save(png_source, format="PNG", pnginfo=info)
    png = _add(users, registry, "map.png", png_source.getvalue())
    for row in (jpeg, png):
        clear = services.read_clear(row)
        assert b"CNRY" not in clear
        with Image.open(io.BytesIO(clear)) as image:
            assert not image.getexif()
            assert "Comment" not in image.info
        # the stored hash and size describe the stripped file that is served
        assert row.size == len(clear)


def test_the_scanner_is_called_with_the_clear_upload(users, registry, settings):
    settings.HOMEWARD_UPLOAD_SCANNER = "tests.attachments.test_sealed_files.recording_scanner"
    SCANNED.clear()
    _add(users, registry, "decision.pdf", MINIMAL_PDF)
    assert SCANNED == [(MINIMAL_PDF, "decision.pdf", "application/pdf")]


def test_a_failing_scanner_refuses_the_file(users, registry, settings, attachments_dir):
    settings.HOMEWARD_UPLOAD_SCANNER = "tests.attachments.test_sealed_files.broken_scanner"
    with pytest.raises(ValidationError) as refused:
        _add(users, registry, "decision.pdf", MINIMAL_PDF)
    assert [e.code for e in refused.value.error_dict["file"]] == ["scan"]
    assert Attachment.objects.count() == 0
    assert stored_files(attachments_dir) == []
