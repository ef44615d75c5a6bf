"""Write helpers/data/exercises.csv, the fingerprints of the exercises' answers (make exercises).

Reads the answer key, scripts/exercise_key.py, and writes for each part of each
exercise the SHA-256 fingerprints of its right answers and of its typical wrong
ones (see helpers/exercises.py), with the hints; never the answers themselves.
The tests check that the file is what this script writes.

The Chinese of the messages, helpers/data/exercises_zh.csv, is translated by hand:
this script does not write it, but it fails (exit status 1) naming every English
message that has no Chinese row there, and warns about rows no message uses any more.

Usage:  python scripts/make_exercises.py
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from exercise_key import KEY  # noqa: E402

from helpers.exercises import CHINESE_FILE, DATA_FILE, fingerprint  # noqa: E402

HEADER = """\
# Fingerprints of the notebooks' exercise answers, and hints (helpers/exercises.py reads it).
# Written by scripts/make_exercises.py from the answer key scripts/exercise_key.py: do not
# edit by hand. A fingerprint is the SHA-256 of "exercise|part|answer", the answer in the
# canonical form of helpers.exercises.canonical; it cannot be turned back into the answer.
# kind: correct (the message for a right answer), right, wrong (with its hint), hint (the
# general hint). Written for this project. Licence: CC BY 4.0. Lines starting with # are comments.
"""
COLUMNS = ["exercise", "part", "kind", "fingerprint", "decimals", "message"]


def wrong_fingerprint(exercise: str, part: str, canonical_text: str) -> str:
    """The fingerprint of a wrong answer given in canonical form (as the key writes it)."""
    text = f"{exercise}|{part}|{canonical_text}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rows() -> list[dict]:
    out = []
    for exercise, spec in KEY.items():
        out.append({"exercise": exercise, "kind": "correct", "message": spec["correct"]})
        for part, answer in spec["parts"].items():
            decimals = answer.get("decimals")
            base = {"exercise": exercise, "part": part, "decimals": decimals or ""}
            for right in answer["right"]:
                out.append(
                    base
                    | {"kind": "right", "fingerprint": fingerprint(exercise, part, right, decimals)}
                )
            for text, hint in answer.get("wrong", {}).items():
                out.append(
                    base
                    | {
                        "kind": "wrong",
                        "fingerprint": wrong_fingerprint(exercise, part, text),
                        "message": hint,
                    }
                )
            out.append(base | {"kind": "hint", "message": answer["hint"]})
    return out


def render() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows())
    return HEADER + buffer.getvalue()


def messages() -> list[str]:
    """Every distinct message of the exercises, in the order of the file."""
    return list(dict.fromkeys(row["message"] for row in rows() if row.get("message")))


def untranslated() -> tuple[list[str], list[str]]:
    """The messages with no Chinese row, and the Chinese rows of no message (stale)."""
    with open(CHINESE_FILE, encoding="utf-8", newline="") as f:
        table = csv.DictReader(line for line in f if not line.startswith("#"))
        chinese = {row["english"] for row in table if row["chinese"].strip()}
    english = messages()
    return [m for m in english if m not in chinese], sorted(chinese - set(english))


def main() -> int:
    DATA_FILE.write_text(render(), encoding="utf-8")
    print(f"{DATA_FILE.relative_to(ROOT)}: {len(KEY)} exercises, {len(messages())} messages")
    missing, stale = untranslated()
    where = CHINESE_FILE.relative_to(ROOT)
    for message in stale:
        print(
            f"warning: {where} translates a message no exercise uses: {message!r}", file=sys.stderr
        )
    if missing:
        print(f"error: {len(missing)} messages have no Chinese row in {where}:", file=sys.stderr)
        for message in missing:
            print(f"  {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
