"""deduce calls logging.basicConfig(DEBUG, stdout) when imported: wijkbot must never let that through, or log
lines would land in `--json` output on stdout."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import logging
from bot.privacy.labels import LabelChecker, NameLists

NameLists().surnames
from bot.privacy.pii import PiiScrubber
checker = LabelChecker(PiiScrubber())
checker.check('gezin A')
checker.check('mw de groot kerkweg 8')
root = logging.getLogger()
print('HANDLERS', len(root.handlers), 'LEVEL', root.level)
"""


def test_using_the_name_lists_and_label_checker_leaves_root_logging_alone() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip().splitlines()[-1] == "HANDLERS 0 LEVEL 30"
    assert "DEBUG" not in out.stdout
