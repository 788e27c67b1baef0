#!/usr/bin/env python3
"""Exports scikit-learn's bundled datasets to CSV and computes the reference scores Hangar's tests compare to.

Run once (the outputs are committed; tests never run Python):
    python3 -m venv /tmp/mlvenv && /tmp/mlvenv/bin/pip install scikit-learn pandas
    /tmp/mlvenv/bin/python datasets/make_reference.py

Protocol: repeated 2-fold cross-validation (stratified for classifiers), random_state=0, default settings of
HistGradientBoostingClassifier/Regressor, LogisticRegression and LinearRegression. Scores: accuracy for
classifiers, RMSE for regression; the fixture keeps every fold's score, the mean and the standard deviation.

Two repeat counts are stored: 5 x 2 (the protocol the issue names) and 25 x 2. On wine (178 rows) the mean of a
5 x 2 run moves by about a point from one split seed to the next (0.961 to 0.972 for HistGradientBoosting over
random_state 0..5), as large as the tolerance the tests allow, so the tests compare 25 x 2 means, where split
noise is about a fifth of the tolerance.
"""
import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold, cross_val_score

HERE = pathlib.Path(__file__).resolve().parent
FOLDS, SEED = 2, 0
REPEATS = (5, 25)

DATASETS = {
    "breast_cancer": (load_breast_cancer, "classification"),
    "wine": (load_wine, "classification"),
    "diabetes": (load_diabetes, "regression"),
}


def learners(kind):
    if kind == "classification":
        return {
            "hist_gradient_boosting": HistGradientBoostingClassifier(random_state=SEED),
            "logistic_regression": LogisticRegression(),
        }
    return {
        "hist_gradient_boosting": HistGradientBoostingRegressor(random_state=SEED),
        "linear_regression": LinearRegression(),
    }


def main():
    reference = {
        "protocol": f"repeated {FOLDS}-fold (stratified for classifiers), random_state={SEED}, default settings",
        "sklearn_version": sklearn.__version__,
        "datasets": {},
    }
    for name, (load, kind) in DATASETS.items():
        frame = load(as_frame=True).frame
        frame.to_csv(HERE / f"{name}.csv", index=False)
        x, y = frame.drop(columns="target"), frame["target"]
        metric = "accuracy" if kind == "classification" else "rmse"
        entry = {"task": kind, "rows": len(frame), "features": x.shape[1], "metric": metric, "cv": {}}
        for repeats in REPEATS:
            if kind == "classification":
                splitter = RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=repeats, random_state=SEED)
                scoring = "accuracy"
            else:
                splitter = RepeatedKFold(n_splits=FOLDS, n_repeats=repeats, random_state=SEED)
                scoring = "neg_root_mean_squared_error"
            scheme = entry["cv"][f"{repeats}x{FOLDS}"] = {}
            for learner_name, learner in learners(kind).items():
                with warnings.catch_warnings():
                    # LogisticRegression's default 100 lbfgs iterations stop short on unscaled data; that is the
                    # default being measured, so the warning is expected.
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    scores = cross_val_score(learner, x, y, cv=splitter, scoring=scoring)
                if metric == "rmse":
                    scores = -scores
                scheme[learner_name] = {
                    "folds": [round(float(s), 6) for s in scores],
                    "mean": round(float(np.mean(scores)), 6),
                    "std": round(float(np.std(scores)), 6),
                }
                print(f"{name:14s} {repeats:2d}x{FOLDS} {learner_name:24s} {metric} mean {np.mean(scores):.4f} "
                      f"std {np.std(scores):.4f}")
        reference["datasets"][name] = entry
    (HERE / "reference.json").write_text(json.dumps(reference, indent=2) + "\n")


if __name__ == "__main__":
    main()
