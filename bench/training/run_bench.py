#!/usr/bin/env python3
"""Trains Hangar's GBDT and LightGBM, XGBoost and scikit-learn HistGradientBoosting with the same settings on the
CSVs from generate.py, in one run, and prints training times (and ratios to LightGBM) and test metrics.

    /tmp/mlvenv/bin/pip install -r bench/training/requirements.txt
    /tmp/mlvenv/bin/python bench/training/generate.py
    swift build -c release --product mlbench
    /tmp/mlvenv/bin/python bench/training/run_bench.py --sets small reg 

Settings everywhere: 100 trees, 31 leaves (XGBoost: depth 6, its usual form), learning rate 0.1, 255 bins,
2 threads, no early stopping. Peers are timed from in-memory arrays including their binning (Dataset/DMatrix
construction); Hangar's time is GBDTTrainer.train on an in-memory frame, including binning and the training-data
profile; CSV reading is reported apart for both (pandas vs Hangar's reader), and so is batch prediction of the test set. The machine is shared: run the
1M-row set (`full`) once, not in loops.
"""
import argparse
import json
import pathlib
import subprocess
import time

import lightgbm as lgb
import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import mean_squared_error, roc_auc_score
from threadpoolctl import threadpool_limits

HERE = pathlib.Path(__file__).resolve().parent
SETS = {
    "small": ("clf_train_small.csv", "clf_test.csv", "label"),
    "full": ("clf_train.csv", "clf_test.csv", "label"),
    "reg": ("reg_train.csv", "reg_test.csv", "y"),
}
TREES, LEAVES, DEPTH, RATE = 100, 31, 6, 0.1


def metric(target, y, prediction):
    if target == "label":
        return "auc", roc_auc_score(y, prediction)
    return "rmse", mean_squared_error(y, prediction) ** 0.5


def timed(train):
    start = time.perf_counter()
    model = train()
    return model, time.perf_counter() - start


def peers(x, y, x_test, y_test, target, threads):
    binary = target == "label"
    results = {}
    params = {"objective": "binary" if binary else "regression", "num_leaves": LEAVES, "learning_rate": RATE,
              "num_threads": threads, "max_bin": 255, "verbose": -1, "seed": 0}
    model, seconds = timed(lambda: lgb.train(params, lgb.Dataset(x, y), num_boost_round=TREES))
    prediction, predict_seconds = timed(lambda: model.predict(x_test, num_threads=threads))
    results["LightGBM"] = (seconds, metric(target, y_test, prediction))
    results["LightGBM predict"] = predict_seconds
    params = {"objective": "binary:logistic" if binary else "reg:squarederror", "tree_method": "hist",
              "max_depth": DEPTH, "eta": RATE, "nthread": threads, "max_bin": 256, "seed": 0}
    model, seconds = timed(lambda: xgb.train(params, xgb.DMatrix(x, y, nthread=threads), num_boost_round=TREES))
    results["XGBoost"] = (seconds, metric(target, y_test, model.predict(xgb.DMatrix(x_test, nthread=threads))))
    kind = HistGradientBoostingClassifier if binary else HistGradientBoostingRegressor
    learner = kind(max_iter=TREES, max_leaf_nodes=LEAVES, learning_rate=RATE, early_stopping=False, random_state=0)
    with threadpool_limits(limits=threads):
        model, seconds = timed(lambda: learner.fit(x, y))
        prediction = model.predict_proba(x_test)[:, 1] if binary else model.predict(x_test)
    results["scikit-learn HGB"] = (seconds, metric(target, y_test, prediction))
    return results


def hangar(mlbench, train_path, test_path, target, threads):
    output = subprocess.run([mlbench, "fit", str(train_path), str(test_path), target, str(threads)],
                            check=True, capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    name = "auc" if "auc" in result else "rmse"
    return result, (result["train_seconds"], (name, result[name]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(HERE / "data"))
    parser.add_argument("--sets", nargs="+", default=["small", "reg"], choices=list(SETS))
    parser.add_argument("--mlbench", default=str(HERE.parents[1] / ".build" / "release" / "mlbench"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    for name in args.sets:
        train_file, test_file, target = SETS[name]
        train_path, test_path = pathlib.Path(args.data) / train_file, pathlib.Path(args.data) / test_file
        start = time.perf_counter()
        train, test = pd.read_csv(train_path), pd.read_csv(test_path)
        pandas_seconds = time.perf_counter() - start
        x, y = train.drop(columns=target).to_numpy(np.float32), train[target].to_numpy()
        x_test, y_test = test.drop(columns=target).to_numpy(np.float32), test[target].to_numpy()
        results = peers(x, y, x_test, y_test, target, args.threads)
        details, results["Hangar"] = hangar(args.mlbench, train_path, test_path, target, args.threads)
        print(f"\n== {name}: {len(train):,} train rows, {len(test):,} test rows, {args.threads} threads ==")
        print(f"CSV read (train + test): pandas {pandas_seconds:.2f} s, Hangar {details['read_seconds']:.2f} s")
        print(f"Hangar training-data digest + profile: {details['profile_seconds']:.3f} s (inside its train time)")
        # Batch prediction of the test set, 100 trees: LightGBM from a float32 array, Hangar from its frame
        # (column encoding included).
        per_tree = {"LightGBM": results.pop("LightGBM predict"), "Hangar": details["predict_seconds"]}
        ns = {k: v / len(test) / TREES * 1e9 for k, v in per_tree.items()}
        print(f"batch predict ({args.threads} threads): LightGBM {ns['LightGBM']:.1f} ns/row/tree, Hangar "
              f"{ns['Hangar']:.1f} ns/row/tree (ratio {ns['Hangar'] / ns['LightGBM']:.2f}, target < 20 ns)")
        reference = results["LightGBM"][0]
        for learner, (seconds, (metric_name, value)) in results.items():
            print(f"{learner:18s} train {seconds:7.2f} s  ratio to LightGBM {seconds / reference:5.2f}  "
                  f"test {metric_name} {value:.4f}")


if __name__ == "__main__":
    main()
