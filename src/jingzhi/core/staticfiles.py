"""Static files from npm packages (``package.json``, installed by ``bin/setup-env`` with ``npm ci``).

``NPM_STATIC_FILES`` maps a static path to a file under ``node_modules``; only the files named there are
served and collected, not a package's whole tree (ECharts ships ~40 MB of builds, sources and maps).
In production ``collectstatic`` copies them to ``STATIC_ROOT`` and WhiteNoise serves them, like every
other static file: no CDN, the pages work on an intranet.
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class NodeModulesFinder(BaseFinder):
    def __init__(self, app_names=None, *args, **kwargs):
        self.root = Path(settings.NODE_MODULES_DIR)
        self.files = dict(settings.NPM_STATIC_FILES)

    def check(self, **kwargs):
        return [Error(f"{self.root / source} is missing: run bin/setup-env (npm ci).", id="jingzhi.E001")
                for source in self.files.values() if not (self.root / source).is_file()]

    def find(self, path, find_all=False, **kwargs):
        source = self.files.get(path)
        found = str(self.root / source) if source and (self.root / source).is_file() else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns):
        for path, source in self.files.items():
            if (self.root / source).is_file():
                # A storage rooted so that ``path`` names the file: collectstatic copies it under ``path``.
                yield path, _SingleFileStorage(self.root / source, path)


class _SingleFileStorage(FileSystemStorage):
    """One npm file seen under its static path: collectstatic reads ``storage.open(path)`` and
    ``get_modified_time(path)``, both through ``path()``."""

    def __init__(self, file: Path, path: str):
        super().__init__(location=str(file.parent))
        self.file, self.static_path = file, path

    def path(self, name):
        return str(self.file) if name == self.static_path else super().path(name)
