"""The README lists exactly the demo logins the seed creates."""

from pathlib import Path

from yichuang.demo import data

README = Path(__file__).resolve().parents[4] / "README.md"


def test_readme_lists_the_demo_logins_the_seed_creates():
    readme = README.read_text(encoding="utf-8")

    assert data.logins_markdown().strip() in readme
