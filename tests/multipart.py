"""Request bodies as a browser sends them: every file input is a part, an empty one included.

Django's test client omits file inputs that have no file, so it cannot show what a browser
does with a form whose optional file field is left empty; ``browser_form`` can.
"""
import io
import uuid

from PIL import Image


def small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 140, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def browser_form(fields: list[tuple[str, object]]) -> tuple[bytes, str]:
    """``(body, content_type)`` for ``client.post(url, body, content_type=…)``.

    A value is text, or ``(filename, content)`` for a file input; ``("", b"")`` is a file
    input left empty, sent as browsers do (``filename=""``, no content).
    """
    boundary = f"----browser{uuid.uuid4().hex}"
    body = b""
    for name, value in fields:
        if isinstance(value, tuple):
            filename, content = value
            head = (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {'image/jpeg' if filename else 'application/octet-stream'}\r\n")
        else:
            head, content = f'Content-Disposition: form-data; name="{name}"\r\n', str(value).encode()
        body += f"--{boundary}\r\n{head}\r\n".encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
