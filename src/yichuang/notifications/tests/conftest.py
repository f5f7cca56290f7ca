import pytest

from yichuang.notifications.sms import MemorySmsBackend


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS go to `MemorySmsBackend.outbox`, emptied before and after each test."""
    settings.YICHUANG = {
        **settings.YICHUANG,
        "SMS_BACKEND": "yichuang.notifications.sms.MemorySmsBackend",
    }
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()
