"""The README stays a few minutes' read, and every relative Markdown link in it and in docs/ leads somewhere.

Only repository files are read; http(s) and mailto links are not followed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_LIMIT = 12_500  # bytes: the README says what S2Cart is and how to start; the rest lives in docs/

# [text](target) and [text](target "title"); images too. Code spans and fenced blocks are removed first.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def markdown_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "bench" / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [path for path in files if path.is_file()]


def relative_links(text: str) -> list[str]:
    text = CODE_SPAN.sub("", FENCE.sub("", text))
    targets = [match.group(1) for match in LINK.finditer(text)]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.I) and not t.startswith("#")]


def broken_links(path: Path) -> list[str]:
    broken = []
    for target in relative_links(path.read_text(encoding="utf-8")):
        file_part = target.split("#", 1)[0].split("?", 1)[0]
        resolved = (ROOT / file_part.lstrip("/")) if file_part.startswith("/") else (path.parent / file_part)
        if not resolved.exists():
            broken.append(target)
    return broken


def test_the_documents_checked_are_there() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in markdown_files()}
    for expected in (
        "README.md",
        "bench/README.md",
        "docs/configuration.md",
        "docs/contract-notes.md",
        "docs/operations.md",
        "docs/payments.md",
        "docs/testing.md",
        "docs/performance.md",
    ):
        assert expected in names


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_points_at_a_file(path: Path) -> None:
    assert broken_links(path) == [], f"{path.relative_to(ROOT)} links to missing files"


def test_the_readme_reaches_every_document_in_docs() -> None:
    linked = {target.split("#", 1)[0] for target in relative_links((ROOT / "README.md").read_text(encoding="utf-8"))}
    for name in ("configuration", "contract-notes", "operations", "payments", "testing", "performance"):
        assert f"docs/{name}.md" in linked


def test_the_readme_stays_short() -> None:
    size = len((ROOT / "README.md").read_bytes())
    assert size < README_LIMIT, f"README.md is {size} bytes; move detail into docs/"


def test_a_broken_link_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    (tmp_path / "there.md").write_text("# there\n", encoding="utf-8")
    page.write_text(
        "[ok](there.md#a) [gone](missing.md) [web](https://example.com/x.md) [anchor](#top)\n"
        "`[in code](nope.md)`\n```\n[fenced](nope.md)\n```\n![img](gone.png)\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md", "gone.png"]
