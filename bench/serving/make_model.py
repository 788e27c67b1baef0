#!/usr/bin/env python3
"""Writes the serving benchmark's model, identical on every run (seeded data, deterministic LightGBM).

    python3 -m venv /work/venvs/imports
    /work/venvs/imports/bin/pip install -r tests/fixtures/imported/requirements.txt
    /work/venvs/imports/bin/python bench/serving/make_model.py

Data: make_classification(n_samples=100_016, n_features=28, n_informative=14, n_redundant=4,
n_clusters_per_class=4, flip_y=0.05, class_sep=0.8, random_state=42) (the training benchmark's generator), values
rounded to 4 decimals, features f0..f27. The first 100,000 rows train ONE LightGBM Booster (binary, 100 trees,
31 leaves, learning rate 0.1); the last 16 rows are the sample requests.

Writes bench/serving/model/:
  model.lgb       the booster's text model, as mlflow.lightgbm.log_model stores it
  requests.json   the 16 rows as an MLflow `dataframe_split` request body
  expected.json   booster.predict on those rows (positive-class probabilities) as {"predictions": [...]}
"""
import json
import pathlib

import lightgbm as lgb
import numpy as np
from sklearn.datasets import make_classification

HERE = pathlib.Path(__file__).resolve().parent
FEATURES = [f"f{i}" for i in range(28)]
TRAIN_ROWS = 100_000
REQUEST_ROWS = 16


def main():
    x, y = make_classification(n_samples=TRAIN_ROWS + REQUEST_ROWS, n_features=28, n_informative=14, n_redundant=4,
                               n_clusters_per_class=4, flip_y=0.05, class_sep=0.8, random_state=42)
    x = np.round(x, 4)
    params = {"objective": "binary", "num_leaves": 31, "learning_rate": 0.1, "seed": 42, "deterministic": True,
              "force_row_wise": True, "num_threads": 2, "verbose": -1}
    train = lgb.Dataset(x[:TRAIN_ROWS], y[:TRAIN_ROWS], feature_name=FEATURES)
    booster = lgb.train(params, train, num_boost_round=100)

    out = HERE / "model"
    out.mkdir(exist_ok=True)
    booster.save_model(str(out / "model.lgb"))
    reloaded = lgb.Booster(model_file=str(out / "model.lgb"))
    rows = x[TRAIN_ROWS:]
    request = {"dataframe_split": {"columns": FEATURES, "data": rows.tolist()}}
    (out / "requests.json").write_text(json.dumps(request) + "\n")
    expected = {"predictions": reloaded.predict(rows).tolist()}
    (out / "expected.json").write_text(json.dumps(expected) + "\n")
    print(f"{reloaded.num_trees()} trees; model.lgb {(out / 'model.lgb').stat().st_size} bytes, "
          f"{len(rows)} request rows")


if __name__ == "__main__":
    main()
