"""The plain baseline: the FastAPI + lightgbm app people write to serve a LightGBM booster.

    MODEL_PATH=bench/serving/model/model.lgb uvicorn --app-dir bench/serving --workers 1 fastapi_app:app

GET /ping -> {"ok": true}. POST /invocations takes the same MLflow `dataframe_split` body the other
servers get ({"dataframe_split": {"columns": [...], "data": [[...], ...]}}) and answers
{"predictions": [positive-class probability, ...]}, like `mlflow models serve` does for a booster.
"""

import os
from pathlib import Path

import lightgbm as lgb
import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

MODEL_PATH = os.environ.get("MODEL_PATH", str(Path(__file__).resolve().parent / "model" / "model.lgb"))
MODEL = lgb.Booster(model_file=MODEL_PATH)
FEATURES = MODEL.feature_name()

app = FastAPI()


@app.get("/ping")
async def ping():
    return {"ok": True}


@app.post("/invocations")
async def invocations(request: Request):
    body = await request.json()
    split = body["dataframe_split"]
    x = np.asarray(split["data"], dtype=np.float64)
    columns = split.get("columns")
    if columns is not None and columns != FEATURES:  # put the columns in the model's order
        x = x[:, [columns.index(f) for f in FEATURES]]
    return JSONResponse({"predictions": MODEL.predict(x).tolist()})
