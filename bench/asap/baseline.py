#!/usr/bin/env python3
"""The reference the authoring issue measures rubrics against: a TF-IDF + logistic-regression
model trained on marked answers, on the same split as bench/asap/score.py (fold = Id mod 5;
trained on folds 0-3, scored on fold 4). Needs scikit-learn (`pip install scikit-learn`); a
benchmark script, not part of the tests.

    python3 bench/asap/baseline.py            # all five sets, trained on all of folds 0-3 and on 100 of them
"""
import csv
import random
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score

DATA = "/work/shared/data/asap-sas/train.tsv"
SETS = ["1", "2", "5", "6", "10"]


def main():
    rows = list(csv.DictReader(open(DATA, encoding="utf-8"), delimiter="\t"))
    print(" set  train=all  train=100 (mean of 5 draws)")
    for s in sys.argv[1:] or SETS:
        mine = [r for r in rows if r["EssaySet"] == s]
        train = [r for r in mine if int(r["Id"]) % 5 != 4]
        test = [r for r in mine if int(r["Id"]) % 5 == 4]

        def qwk(tr):
            vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
            x = vec.fit_transform([r["EssayText"] for r in tr])
            model = LogisticRegression(max_iter=2000, C=10.0)
            model.fit(x, [int(r["Score1"]) for r in tr])
            pred = model.predict(vec.transform([r["EssayText"] for r in test]))
            return cohen_kappa_score([int(r["Score1"]) for r in test], pred, weights="quadratic")

        small = []
        for seed in range(5):
            random.seed(seed)
            small.append(qwk(random.sample(train, 100)))
        print(f"{s:>4}  {qwk(train):9.3f}  {sum(small) / len(small):9.3f}")


if __name__ == "__main__":
    main()
