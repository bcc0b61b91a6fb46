"""The static files as production collects them (``collectstatic`` with WhiteNoise's
CompressedManifestStaticFilesStorage): every file a script or stylesheet refers to exists, so the
demo and a deployment can collect at all, and each file gets a hashed name and a gzipped copy."""
import json

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.mark.django_db
def test_collectstatic_hashes_and_compresses_every_file(settings, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}):
        call_command("collectstatic", "--noinput", verbosity=0)  # a missing referenced file raises here
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("core/jingzhi.css", "geo/map.js", "vendor/leaflet/leaflet.js",
                 "vendor/supercluster/supercluster.min.js"):
        hashed = paths[name]
        assert hashed != name and (tmp_path / hashed).is_file() and (tmp_path / f"{hashed}.gz").is_file()
    assert (tmp_path / paths["core/favicon.ico"]).is_file() and paths["core/favicon.ico"] != "core/favicon.ico"
