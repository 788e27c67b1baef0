#!/usr/bin/env python3
"""Writes the training benchmark's CSVs, identical on every run (seeded scikit-learn generators).

    /tmp/mlvenv/bin/python bench/training/generate.py [OUTDIR]     (default: bench/training/data, not committed)

Classification: make_classification(n_samples=1_200_000, n_features=28, n_informative=14, n_redundant=4,
n_clusters_per_class=4, flip_y=0.05, class_sep=0.8, random_state=42), values rounded to 4 decimals; the first
1,000,000 rows are clf_train.csv, the last 200,000 clf_test.csv, and the first 100,000 training rows
clf_train_small.csv. Regression: make_friedman1(n_samples=600_000, n_features=28, noise=1.0, random_state=7),
4 decimals; the first 500,000 rows reg_train.csv, the rest reg_test.csv. Features are f0..f27, the target `label`
(0/1) or `y`.
"""
import pathlib
import sys

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification, make_friedman1

HERE = pathlib.Path(__file__).resolve().parent
FEATURES = [f"f{i}" for i in range(28)]


def write(x, y, target, path):
    frame = pd.DataFrame(np.round(x, 4), columns=FEATURES)
    frame[target] = y if target == "label" else np.round(y, 4)
    frame.to_csv(path, index=False, float_format="%.4f")
    print(f"wrote {len(frame)} rows to {path}")


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "data"
    out.mkdir(parents=True, exist_ok=True)
    x, y = make_classification(n_samples=1_200_000, n_features=28, n_informative=14, n_redundant=4,
                               n_clusters_per_class=4, flip_y=0.05, class_sep=0.8, random_state=42)
    write(x[:1_000_000], y[:1_000_000], "label", out / "clf_train.csv")
    write(x[1_000_000:], y[1_000_000:], "label", out / "clf_test.csv")
    write(x[:100_000], y[:100_000], "label", out / "clf_train_small.csv")
    x, y = make_friedman1(n_samples=600_000, n_features=28, noise=1.0, random_state=7)
    write(x[:500_000], y[:500_000], "y", out / "reg_train.csv")
    write(x[500_000:], y[500_000:], "y", out / "reg_test.csv")


if __name__ == "__main__":
    main()
