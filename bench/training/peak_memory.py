"""Peak memory while training on the 1M-row set (issue 4: Hangar under 1.5x LightGBM's).

Each contender runs in its own process; the peak resident set size (ru_maxrss) of that process is reported.
LightGBM is measured two ways: as people use it (pandas.read_csv, then lgb.train), and from a float32 .npy file
(the least memory a Python caller can hand it: no pandas frame). Hangar is `hangar train` with the same settings
(100 trees, 31 leaves, learning rate 0.1, 2 threads), CSV read included.

    /tmp/mlvenv/bin/python bench/training/peak_memory.py --hangar .build-release/release/hangar
"""
import argparse
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent

LGB_PANDAS = """
import sys, lightgbm as lgb, pandas as pd, numpy as np
train = pd.read_csv(sys.argv[1])
x, y = train.drop(columns="label").to_numpy(np.float32), train["label"].to_numpy()
del train
params = {"objective": "binary", "num_leaves": 31, "learning_rate": 0.1, "num_threads": 2, "max_bin": 255, "verbose": -1, "seed": 0}
lgb.train(params, lgb.Dataset(x, y), num_boost_round=100)
"""

LGB_NPY = """
import sys, lightgbm as lgb, numpy as np
x, y = np.load(sys.argv[1]), np.load(sys.argv[2])
params = {"objective": "binary", "num_leaves": 31, "learning_rate": 0.1, "num_threads": 2, "max_bin": 255, "verbose": -1, "seed": 0}
lgb.train(params, lgb.Dataset(x, y), num_boost_round=100)
"""


def peak(cmd):
    """Runs cmd as a child and returns (seconds, peak RSS in MB) of that child alone."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: run the smallest first (see main)
    return seconds, max(before, after) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hangar", default=str(HERE.parents[1] / ".build" / "release" / "hangar"))
    parser.add_argument("--data", default=str(HERE / "data"))
    args = parser.parse_args()
    train = pathlib.Path(args.data) / "clf_train.csv"
    with tempfile.TemporaryDirectory() as tmp:
        # The .npy files are written by a separate process, so this one stays small.
        subprocess.run([sys.executable, "-c", (
            "import sys, pandas as pd, numpy as np; t = pd.read_csv(sys.argv[1]); "
            "np.save(sys.argv[2], t.drop(columns='label').to_numpy(np.float32)); np.save(sys.argv[3], t['label'].to_numpy())"),
            str(train), f"{tmp}/x.npy", f"{tmp}/y.npy"], check=True)
        # Children's ru_maxrss only grows, so each contender runs in its own measuring process.
        results = {}
        for name, cmd in [
            ("LightGBM from .npy", [sys.executable, "-c", LGB_NPY, f"{tmp}/x.npy", f"{tmp}/y.npy"]),
            ("LightGBM via pandas", [sys.executable, "-c", LGB_PANDAS, str(train)]),
            ("Hangar (hangar train)", [args.hangar, "train", str(train), "--target", "label", "--learner", "gbdt",
                                       "--trees", "100", "--leaves", "31", "--learning-rate", "0.1", "--threads", "2",
                                       "--output", f"{tmp}/model.hangar"]),
        ]:
            out = subprocess.run([sys.executable, __file__, "--one", *cmd], check=True, capture_output=True, text=True)
            seconds, mb = (float(v) for v in out.stdout.split())
            results[name] = (seconds, mb)
            print(f"{name:24s} {seconds:6.2f} s  peak RSS {mb:7.1f} MB", flush=True)
    hangar = results["Hangar (hangar train)"][1]
    for name in ("LightGBM from .npy", "LightGBM via pandas"):
        ratio = hangar / results[name][1]
        print(f"Hangar / {name}: {ratio:.2f}x  (target <= 1.5x: {'met' if ratio <= 1.5 else 'missed'})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        seconds, mb = peak(sys.argv[2:])
        print(seconds, mb)
    else:
        main()
