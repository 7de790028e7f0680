#!/usr/bin/env python3
"""Tuning aid: drop-one-cue ablation. For each cue line of a rubric (a line inside a `cues = [`
list), score the rubric without that line and print the change in QWK on the tuning folds
(folds 0-3) and on the check fold (4). Cues whose removal helps on the tuning folds are
candidates for tightening; the check fold shows whether the effect carries over.

    python3 bench/asap/ablate.py 2 [--grep WORD] [--binary PATH]

Python 3.11, standard library only.
"""
import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


BINARY: list[str] = []


def run(set_no: int, rubric_dir: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench/asap/score.py"), str(set_no), "--rubric-dir", rubric_dir, *BINARY],
        capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1].split()
    return float(out[4]), float(out[5])  # tune, fold4


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set", type=int)
    ap.add_argument("--grep", help="only cue lines containing this text")
    ap.add_argument("--binary", help="rubric binary (default: target/release/rubric)")
    args = ap.parse_args()
    if args.binary:
        BINARY.extend(["--binary", args.binary])
    src = (ROOT / f"rubrics/asap-sas/set{args.set}.toml").read_text(encoding="utf-8").split("\n")
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / f"set{args.set}.toml").write_text("\n".join(src), encoding="utf-8")
        base_t, base_h = run(args.set, d)
        print(f"baseline tune {base_t:.3f} fold4 {base_h:.3f}")
        in_cues = False
        point = ""
        for i, line in enumerate(src):
            m = re.match(r'id = "([^"]+)"', line)
            if m:
                point = m.group(1)
            if line.startswith("cues = ["):
                in_cues = not line.rstrip().endswith("]")
                continue
            if in_cues and line.startswith("]"):
                in_cues = False
                continue
            if not in_cues or not line.strip() or line.strip().startswith("#"):
                continue
            if args.grep and args.grep not in line:
                continue
            trial = src[:i] + src[i + 1 :]
            (Path(d) / f"set{args.set}.toml").write_text("\n".join(trial), encoding="utf-8")
            try:
                t, h = run(args.set, d)
            except subprocess.CalledProcessError:
                print(f"  (rubric invalid without line {i + 1})")
                continue
            print(f"{t - base_t:+.3f} {h - base_h:+.3f}  {point:<16} {line.strip()[:110]}")


if __name__ == "__main__":
    main()
