"""Export a checkpoint to ONNX, check it against PyTorch, and write models/manifest.json.

    python3 -m models.recipe.export CHECKPOINT --onnx models/en-us-tdnn.onnx --runs synth0 iter1 ...
"""
import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import torch

from . import data, features
from .model import LAYERS, load, parameter_count
from .ort_check import run_onnxruntime_node

MODELS = Path(__file__).resolve().parents[1]
REPO = MODELS.parent
OPSET = 13


def export_onnx(model, path):
    example = torch.zeros(1, 200, 80)
    torch.onnx.export(model, example, str(path), input_names=["features"], output_names=["log_posteriors"],
                      dynamic_axes={"features": {1: "T"}, "log_posteriors": {1: "T"}}, opset_version=OPSET)


def check_with_ort(model, path, sample):
    """Max |onnxruntime - PyTorch| over log posteriors of one real utterance, or None without node."""
    out = run_onnxruntime_node(path, {"features": sample[None].astype(np.float32)})
    if out is None:
        return None
    with torch.no_grad():
        ref = model(torch.from_numpy(sample)[None]).numpy()
    return float(np.max(np.abs(out["log_posteriors"] - ref)))


def store_summary(path, labels_summary=None):
    index = json.loads((Path(path) / "index.json").read_text())
    out = {"utterances": len(index["lengths"]), "hours": round(index["seconds"] / 3600, 3)}
    if index["kind"] == "synthetic":
        out.update(voices=index["voices"], dropped_unmapped=index["dropped_unmapped"])
    else:
        out.update(validation_speakers=index["valid_speakers"])
        if labels_summary:
            out["alignment"] = json.loads(Path(labels_summary).read_text())
    return out


def input_floor(state):
    if state.get("floor") is None:
        return None
    return {"rule": "each feature bin is raised to at least its floor before normalisation (models/recipe/model.py)",
            "percentile_of_training_features": state.get("floor_percentile"),
            "floor": [round(float(v), 4) for v in state["floor"]]}


def describe(onnx_path, model, state, inventory, max_diff):
    """The manifest fields the engine reads (model file, checksum, inventory, features) and what the model is."""
    blob = Path(onnx_path).read_bytes()
    return {
        "model": Path(onnx_path).name,
        "sha256": hashlib.sha256(blob).hexdigest(),
        "bytes": len(blob),
        "format": {"onnx_opset": OPSET, "input": "features [1, T, 80] float32, raw fbank (no CMVN)",
                   "output": "log_posteriors [1, T, P] float32, natural-log softmax over `inventory`",
                   "frames": "output frame t = input frame t (centre 10t + 12.5 ms)"},
        "inventory": inventory,
        "features": features.SETTINGS,
        "architecture": {"type": "TDNN", "layers_kernel_dilation": LAYERS, **state["model_args"],
                         "context_frames_each_side": model.context, "parameters": parameter_count(model),
                         "input_floor": input_floor(state)},
        "onnxruntime_check_max_abs_diff": max_diff,
    }


def export_checked(checkpoint, onnx_path, store):
    """Checkpoint -> ONNX, checked in onnxruntime-node on the store's first utterance -> (model, state, diff)."""
    model, state = load(checkpoint)
    export_onnx(model, onnx_path)
    index, feats, _ = data.FeatureStore(store).load()
    sample = np.asarray(feats[: index["lengths"][0]], dtype=np.float32)
    max_diff = check_with_ort(model, onnx_path, sample)
    print(f"onnxruntime vs PyTorch max |diff| = {max_diff}")
    if max_diff is None or max_diff > 1e-3:
        raise SystemExit("ONNX check failed")
    return model, state, max_diff


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--onnx", required=True)
    parser.add_argument("--synth", required=True)
    parser.add_argument("--real", required=True)
    parser.add_argument("--alignment", help="summary.json of the alignment the final stage trained on")
    parser.add_argument("--runs", nargs="+", required=True, help="training runs in order (for metrics)")
    parser.add_argument("--command", default="models/recipe/run.sh")
    args = parser.parse_args()
    onnx_path = Path(args.onnx)
    model, state, max_diff = export_checked(args.checkpoint, onnx_path, args.real)
    stages = []
    for name in args.runs:
        metrics = json.loads((MODELS / "runs" / name / "metrics.json").read_text())
        checks = {key: MODELS / "runs" / name / f"{key}.json" for key in ("align_check", "gop_check")}
        stages.append({"run": name, "args": metrics["args"], "epochs": metrics["history"],
                       **{key: json.loads(p.read_text()) if p.exists() else None for key, p in checks.items()}})
    manifest = {
        **describe(onnx_path, model, state, data.PHONES, max_diff),
        "training_data": {"synthetic": store_summary(args.synth),
                          "real_speechocean762_train": store_summary(args.real, args.alignment),
                          "test_split": "never read"},
        "validation": stages,
        "recipe_command": args.command,
    }
    (MODELS / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {onnx_path} ({manifest['bytes']} bytes) and models/manifest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
