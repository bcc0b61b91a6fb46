"""Small upload samples made with Pillow in the test: good photos and the bad files of issue 7 §2.

``BAD_FILES`` are the reproductions every upload path must refuse with a field error (400), storing
nothing: a truncated JPEG, EPS, GIF, BMP and TIFF content named ``.jpg``, and a decompression bomb.
"""
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(image_format: str, size=(48, 32), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "#c85028" if mode == "RGB" else 0).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg(name="photo.jpg", size=(48, 32)) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", size))


def truncated_jpeg() -> SimpleUploadedFile:
    """A real photo's first half (noise, so the cut falls inside the compressed scan)."""
    buffer = io.BytesIO()
    Image.effect_noise((64, 64), 60).convert("RGB").save(buffer, format="JPEG")
    return upload("cut.jpg", buffer.getvalue()[: buffer.tell() // 2])


def png_bomb(width=12_000, height=12_000) -> bytes:
    """A valid blank 1-bit PNG of ``width``×``height`` written by hand: about 20 KB to send, where
    Pillow would need seconds and 144 MB to build it (and the server as long to decode it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


#: (label, factory, the field error's words): each must be refused on every upload path.
BAD_FILES = [
    ("truncated JPEG", truncated_jpeg, "图片文件不完整或已损坏"),
    ("EPS named .jpg", lambda: upload("photo.jpg", image_bytes("EPS")), "不是 JPG、PNG"),
    ("GIF named .jpg", lambda: upload("photo.jpg", image_bytes("GIF")), "不是 JPG、PNG"),
    ("BMP named .jpg", lambda: upload("photo.jpg", image_bytes("BMP")), "不是 JPG、PNG"),
    ("TIFF named .jpg", lambda: upload("photo.jpg", image_bytes("TIFF")), "不是 JPG、PNG"),
    ("12000×12000 PNG", lambda: upload("blank.png", png_bomb(), "image/png"), "图片像素过多"),
]
#: The bomb samples make Pillow warn on opening them, before the upload check refuses them.
BOMB_WARNING = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
TOO_MANY_WORDS = "每次最多上传 9 个文件"


def too_many_photos(count=10) -> list[SimpleUploadedFile]:
    return [jpeg(f"photo{number}.jpg", size=(8, 8)) for number in range(count)]
