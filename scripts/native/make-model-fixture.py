#!/usr/bin/python3
"""Writes tiny acoustic models with the contract of models/README.md, each with its manifest.

    /usr/bin/python3 scripts/native/make-model-fixture.py OUT_DIR

OUT_DIR/good/tiny.onnx: features [1, T, 80] -> MatMul W1 [80, 1024] -> Tanh -> MatMul W2 [1024, 5]
-> LogSoftmax -> log_posteriors [1, T, 5], T dynamic; OUT_DIR/good/manifest.json: its sha256, 5 phones,
the feature settings of native/FEATURES.md. Weights are exact in float32 and given by weight() below,
so tests can recompute the output. The other folders break one thing each: fixed_time (T fixed at 100),
wrong_dims (40 features), wrong_output (output named "logits"). OUT_DIR/scored: the good model with a tiny
learned scorer (runtime/pronunciation_scorer.h) whose outputs tests can recompute: phone_scores = 100 + 10 * LPR
(column 1 of its input), word_scores = that score three times, utterance_scores = the mean phone score five
times; scored_wrong_dim declares an input_dim the engine does not build. Needs python3-onnx (Debian); no model
is ever downloaded.
"""
import argparse
import hashlib
import json
import sys
from pathlib import Path

from onnx import TensorProto, helper, save_model

HIDDEN = 1024  # enough work per frame that a run is mostly compute, not call overhead
INVENTORY = ["SIL", "AA", "B", "K", "S"]
SETTINGS = {
    "definition": "native/FEATURES.md", "type": "kaldi-fbank", "sample_frequency": 16000,
    "frame_length_ms": 25, "frame_shift_ms": 10, "snip_edges": True, "dither": 0.0, "remove_dc_offset": True,
    "preemphasis_coefficient": 0.97, "window_type": "povey", "fft_size": 512, "num_mel_bins": 80,
    "low_freq": 20, "high_freq": 7600, "use_energy": False, "use_power": True, "use_log_fbank": True,
    "log_floor": "FLT_EPSILON", "input_scale": 32768.0, "cmvn": "none",
}
VARIANTS = ["good", "fixed_time", "wrong_dims", "wrong_output"]
SCORED_VARIANTS = {"scored": 0, "scored_wrong_dim": 1}  # added to the scorer's true input_dim
SCORER_INPUT_DIM = 3 + len(INVENTORY) + 8  # ScorerInputDim(5): GOP features + scorer context


def weight(layer, i, j):
    """Multiples of 1/64 in [-1/8, 1/8], exact in float32; native/test/test_runtime.cpp recomputes
    the model's output with the same formula."""
    return ((i * 7 + j * 13 + layer * 5) % 17 - 8) / 64.0


def matrix(name, layer, rows, cols):
    values = [weight(layer, i, j) for i in range(rows) for j in range(cols)]
    return helper.make_tensor(name, TensorProto.FLOAT, [rows, cols], values)


def build(variant):
    dims = 40 if variant == "wrong_dims" else 80
    time = 100 if variant == "fixed_time" else "T"
    output = "logits" if variant == "wrong_output" else "log_posteriors"
    phones = len(INVENTORY)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["features", "w1"], ["h1"]),
            helper.make_node("Tanh", ["h1"], ["a1"]),
            helper.make_node("MatMul", ["a1", "w2"], ["scores"]),
            helper.make_node("LogSoftmax", ["scores"], [output], axis=-1),
        ],
        "tiny_acoustic_model",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, time, dims])],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, [1, time, phones])],
        [matrix("w1", 1, dims, HIDDEN), matrix("w2", 2, HIDDEN, phones)],
    )
    # IR 8 / opset 13: what the real model's export uses, and what ONNX Runtime 1.30 reads.
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)


def build_scorer():
    ints = lambda name, values: helper.make_tensor(name, TensorProto.INT64, [len(values)], values)  # noqa: E731
    floats = lambda name, value: helper.make_tensor(name, TensorProto.FLOAT, [], [value])  # noqa: E731
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["features", "lpr_column"], ["lpr"], axis=2),  # [1, P]
            helper.make_node("Mul", ["lpr", "ten"], ["scaled"]),
            helper.make_node("Add", ["scaled", "hundred"], ["phone_scores"]),
            helper.make_node("Unsqueeze", ["phone_scores", "last_axis"], ["column"]),
            helper.make_node("Concat", ["column", "column", "column"], ["word_scores"], axis=2),
            helper.make_node("ReduceMean", ["phone_scores"], ["mean"], axes=[1], keepdims=1),  # [1, 1]
            helper.make_node("Expand", ["mean", "utterance_shape"], ["utterance_scores"]),
        ],
        "tiny_scorer",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, "P", SCORER_INPUT_DIM]),
         helper.make_tensor_value_info("phones", TensorProto.INT64, [1, "P"])],
        [helper.make_tensor_value_info("phone_scores", TensorProto.FLOAT, [1, "P"]),
         helper.make_tensor_value_info("word_scores", TensorProto.FLOAT, [1, "P", 3]),
         helper.make_tensor_value_info("utterance_scores", TensorProto.FLOAT, [1, 5])],
        [helper.make_tensor("lpr_column", TensorProto.INT64, [], [1]), floats("ten", 10.0), floats("hundred", 100.0),
         ints("last_axis", [2]), ints("utterance_shape", [1, 5])],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    args = parser.parse_args()
    for variant in VARIANTS:
        write(Path(args.out_dir) / variant, variant)
    for variant, extra_dim in SCORED_VARIANTS.items():
        out = Path(args.out_dir) / variant
        write(out, "good")
        save_model(build_scorer(), str(out / "scorer.onnx"))
        blob = (out / "scorer.onnx").read_bytes()
        manifest = json.loads((out / "manifest.json").read_text())
        manifest["scorer"] = {"model": "scorer.onnx", "sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob),
                              "input_dim": SCORER_INPUT_DIM + extra_dim, "acoustic_model_sha256": manifest["sha256"]}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return 0


def write(out, variant):
    out.mkdir(parents=True, exist_ok=True)
    save_model(build(variant), str(out / "tiny.onnx"))
    blob = (out / "tiny.onnx").read_bytes()
    manifest = {
        "model": "tiny.onnx",
        "sha256": hashlib.sha256(blob).hexdigest(),
        "bytes": len(blob),
        "inventory": INVENTORY,
        "features": SETTINGS,
        "architecture": {"type": "MLP", "parameters": 80 * HIDDEN + HIDDEN * len(INVENTORY)},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
