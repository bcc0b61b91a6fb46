"""The input a serializer gets from a submitted form: files without the browsers' empty parts.

A browser sends every file input of a multipart form, also one left empty: as a part with
``filename=""`` and no content. Django's parser turns such a part into an *empty text value*
(``request.POST["before_photos"] == ""``), and DRF's file fields then refuse the whole request
with "提交的数据不是一个文件". So the data for a serializer is built here, for the staff pages and
the API alike: the text values of the form, and for each file field of the serializer only the
files actually sent (``request.FILES``; all of them for a multi-file field, which a plain
``QueryDict.update`` or ``dict(request.FILES)`` gets wrong). A JSON body is passed on unchanged.
"""
from __future__ import annotations

import functools

from rest_framework import serializers


@functools.cache  # per class: building a serializer's fields is not free (intake is a hot path)
def _file_fields(serializer_class: type[serializers.Serializer]) -> dict[str, bool]:
    """The serializer's file fields, each with whether it takes several files."""
    found = {}
    for name, field in serializer_class().fields.items():
        if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.FileField):
            found[name] = True
        elif isinstance(field, serializers.FileField):
            found[name] = False
    return found


def serializer_data(request, serializer_class: type[serializers.Serializer]):
    """The input for ``serializer_class(data=…)`` from a Django or DRF request (see module docstring)."""
    data = getattr(request, "data", None)  # a DRF request: parsed by its content type
    if data is not None and not hasattr(data, "getlist"):
        return data  # JSON: no file parts
    values = request.POST.copy()  # on a DRF request: the form values without the files
    for name, many in _file_fields(serializer_class).items():
        uploads = request.FILES.getlist(name)
        if many:
            values.setlist(name, uploads)
        elif uploads:
            values.setlist(name, uploads[:1])
        else:
            values.pop(name, None)
    return values
