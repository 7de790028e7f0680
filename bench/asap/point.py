#!/usr/bin/env python3
"""Tuning aid: answers of the tuning folds (fold != 4) where one point has a given status,
filtered by human score. Reads a dump written by `score.py N --dump FILE`.

    python3 bench/asap/score.py 6 --dump /tmp/s6.tsv
    python3 bench/asap/point.py /tmp/s6.tsv diffusion partial 2,3 [N]
"""
import csv
import random
import sys

csv.field_size_limit(1 << 30)
dump, point, status, humans = sys.argv[1:5]
limit = int(sys.argv[5]) if len(sys.argv) > 5 else 25
with open("/work/shared/data/asap-sas/train.tsv", encoding="utf-8", errors="replace", newline="") as f:
    text = {r[0]: r[3] for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
rows = [line.rstrip("\n").split("\t") for line in open(dump, encoding="utf-8")]
head = rows[0]
i = head.index(point)
want = set(humans.split(","))
sel = [r for r in rows[1:] if r[1] != "4" and r[2] in want and r[i] == status]
random.Random(0).shuffle(sel)
print(f"{len(sel)} answers")
for r in sel[:limit]:
    print(f"[{r[0]}] human {r[2]} tool {r[3]} | {text[r[0]][:500]}")
