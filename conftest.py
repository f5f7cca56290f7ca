"""Suite-wide test configuration. App-specific fixtures live in each app's tests/."""

import os

os.environ.setdefault("YICHUANG_TEST", "1")
