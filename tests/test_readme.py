"""The README's Python examples run as written, and print what their `# prints:` comments say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from support import ROOT

README = ROOT / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)


def test_readme_python_examples_run_and_print_what_they_say(tmp_path: Path) -> None:
    blocks = python_blocks()
    assert len(blocks) >= 2
    script = tmp_path / "readme_examples.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    # In order, in one process, in an empty folder: the later examples use the index the first builds.
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    expected = [said.strip() for block in blocks for said in re.findall(r"# .*?prints: (.+)$", block, flags=re.MULTILINE)]
    assert len(expected) >= 5
    for said in expected:
        assert said in done.stdout, (said, done.stdout)
