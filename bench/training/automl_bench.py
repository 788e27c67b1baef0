"""AutoML on the 100k-row set with the same time budget: Hangar's `hangar train` against FLAML (issue 4 target:
Hangar's test AUC at least FLAML's).

    /tmp/mlvenv/bin/python bench/training/automl_bench.py --hangar .build-release/release/hangar [--budget 60]

Both get the training CSV (clf_train_small.csv, 100k rows) and the budget in seconds; both are scored on the
200k-row test set (clf_test.csv) by ROC AUC of their positive-class probabilities. FLAML runs with its defaults
for classification (metric: roc_auc, 2 jobs, seed 0); Hangar with its defaults (`--time-budget`, 2 threads).
"""
import argparse
import pathlib
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

HERE = pathlib.Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hangar", default=str(HERE.parents[1] / ".build" / "release" / "hangar"))
    parser.add_argument("--data", default=str(HERE / "data"))
    parser.add_argument("--budget", type=float, default=60)
    args = parser.parse_args()
    train_path = pathlib.Path(args.data) / "clf_train_small.csv"
    test_path = pathlib.Path(args.data) / "clf_test.csv"
    train, test = pd.read_csv(train_path), pd.read_csv(test_path)
    y_test = test["label"].to_numpy()

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        out = subprocess.run([args.hangar, "train", str(train_path), "--target", "label", "--time-budget",
                              str(args.budget), "--threads", "2", "--output", f"{tmp}/model.hangar"],
                             check=True, capture_output=True, text=True)
        hangar_seconds = time.perf_counter() - start
        subprocess.run([args.hangar, "predict", "--model", f"{tmp}/model.hangar", "--input", str(test_path),
                        "--output", f"{tmp}/pred.csv"], check=True, capture_output=True)
        hangar_auc = roc_auc_score(y_test, pd.read_csv(f"{tmp}/pred.csv")["proba_1"].to_numpy())
        board = [line for line in out.stdout.splitlines() if line.strip()][:6]

    from flaml import AutoML
    automl = AutoML()
    start = time.perf_counter()
    automl.fit(train.drop(columns="label"), train["label"], task="classification", metric="roc_auc",
               time_budget=args.budget, n_jobs=2, seed=0, verbose=0)
    flaml_seconds = time.perf_counter() - start
    flaml_auc = roc_auc_score(y_test, automl.predict_proba(test.drop(columns="label"))[:, 1])

    print(f"AutoML, {args.budget:.0f} s budget, 100k training rows, test AUC on 200k rows")
    print(f"Hangar  wall {hangar_seconds:6.1f} s  test AUC {hangar_auc:.4f}")
    print(f"FLAML   wall {flaml_seconds:6.1f} s  test AUC {flaml_auc:.4f}  best {automl.best_estimator} {automl.best_config}")
    print(f"target (Hangar >= FLAML): {'met' if hangar_auc >= flaml_auc else 'missed'} ({hangar_auc - flaml_auc:+.4f})")
    print("Hangar leaderboard (top):")
    for line in board:
        print("  " + line)


if __name__ == "__main__":
    main()
