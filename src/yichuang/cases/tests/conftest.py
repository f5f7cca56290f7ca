import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary directory, never to the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
