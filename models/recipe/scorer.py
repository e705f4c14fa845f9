"""The learned pronunciation scorer: a GOPT-style transformer (Gong et al., ICASSP 2022) over the engine's per-phone
scorer rows (native/src/scoring/scorer_input.h), trained on the speechocean762 train split's expert scores.

    python3 -m models.recipe.scorer train FEATURES.json RUN_DIR [--substituted SUBSTITUTED.json]
                                                         # both from scorer_features.ts
    python3 -m models.recipe.scorer export RUN_DIR/checkpoint.pt OUT.onnx --features FEATURES.json

Tokens: five utterance tokens (accuracy, completeness, fluency, prosodic, total), then one per expected phone
(its row, normalised, plus an embedding of the canonical phone and a sinusoidal position). Heads predict the
phone score on each phone token, word accuracy/stress/total on each phone token (the engine averages them over
the word, as GOPT does) and the five utterance scores on the utterance tokens. Every target is on the experts'
0-2 scale while training (word and utterance scores are 0-10, divided by 5); the exported graph multiplies by
50 so the engine receives 0..100.

The epoch count is chosen by cross-validation over the training speakers (--folds groups); the members are then
trained on all of them for that many epochs and averaged. The validation speakers of data.train_speakers(), also
held out of the acoustic model's training, choose nothing but the mispronunciation threshold, so their figures are
an honest check; the test split is never read here.
"""
import argparse
import hashlib
import json
import math
import random
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import data
from .ort_check import run_onnxruntime_node

UTTERANCE_ASPECTS = ["accuracy", "completeness", "fluency", "prosodic", "total"]
WORD_ASPECTS = ["accuracy", "stress", "total"]
MAX_POSITIONS = 1024  # phones; 30 s of audio holds far fewer
OPSET = 13


def sinusoids(length, dim):
    position = torch.arange(length, dtype=torch.float32)[:, None]
    rate = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim))
    table = torch.zeros(length, dim)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate)
    return table


class Block(nn.Module):
    """Pre-norm self-attention + feed-forward, written out so the ONNX export is plain MatMul/Softmax."""

    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.dim, self.heads = dim, heads
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, key_bias):
        # Sizes as -1 where they vary: the ONNX export must not freeze the example's phone count.
        b, d = x.shape[0], self.dim
        q, k, v = self.qkv(self.norm1(x)).reshape(b, -1, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        attention = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads) + key_bias
        mixed = (attention.softmax(-1) @ v).transpose(1, 2).reshape(b, -1, d)
        x = x + self.drop(self.out(mixed))
        return x + self.drop(self.ff(self.norm2(x)))


class Scorer(nn.Module):
    def __init__(self, input_dim, phones, dim=32, layers=3, heads=1, dropout=0.1):
        super().__init__()
        self.config = dict(input_dim=input_dim, phones=phones, dim=dim, layers=layers, heads=heads, dropout=dropout)
        self.register_buffer("mean", torch.zeros(input_dim))
        self.register_buffer("std", torch.ones(input_dim))
        self.register_buffer("positions", sinusoids(MAX_POSITIONS, dim))
        self.project = nn.Linear(input_dim, dim)
        self.phone_embedding = nn.Embedding(phones, dim)
        self.utterance_tokens = nn.Parameter(torch.randn(len(UTTERANCE_ASPECTS), dim) * 0.02)
        self.blocks = nn.ModuleList(Block(dim, heads, dropout) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.phone_head = nn.Linear(dim, 1)
        self.word_head = nn.Linear(dim, len(WORD_ASPECTS))
        self.utterance_head = nn.Parameter(torch.randn(len(UTTERANCE_ASPECTS), dim) * 0.02)
        self.utterance_bias = nn.Parameter(torch.ones(len(UTTERANCE_ASPECTS)))

    def forward(self, rows, phones, padding=None):
        """rows [B, P, D], phones [B, P] -> phone [B, P], word [B, P, 3], utterance [B, 5]; 0-2 scale."""
        b = rows.shape[0]
        x = self.project((rows - self.mean) / self.std) + self.phone_embedding(phones) + self.positions[: rows.shape[1]]
        x = torch.cat([self.utterance_tokens.expand(b, -1, -1), x], dim=1)
        key_bias = 0.0 if padding is None else torch.cat(
            [torch.zeros(b, len(UTTERANCE_ASPECTS)), padding.float() * -1e9], dim=1)[:, None, None, :]
        for block in self.blocks:
            x = block(x, key_bias)
        x = self.norm(x)
        u, tokens = x[:, : len(UTTERANCE_ASPECTS)], x[:, len(UTTERANCE_ASPECTS):]
        utterance = (u * self.utterance_head).sum(-1) + self.utterance_bias
        return self.phone_head(tokens).squeeze(-1), self.word_head(tokens), utterance


class Export(nn.Module):
    """The engine's contract (runtime/pronunciation_scorer.h): 0..100 scores, batch 1."""

    def __init__(self, scorer):
        super().__init__()
        self.scorer = scorer

    def forward(self, features, phones):
        phone, word, utterance = self.scorer(features, phones)
        return 50 * phone, 50 * word, 50 * utterance


# ---------------------------------------------------------------------------------------------------------------
# Data


def load_features(path, substituted_path=None):
    """(store, train items, validation items). Simulated substitutions (scorer_features.ts --substitute) join the
    training items of train speakers only; validation stays the speakers' real, unaltered speech."""
    with open(path) as f:
        store = json.load(f)
    records = store["utterances"]
    if substituted_path:
        with open(substituted_path) as f:
            records = records + json.load(f)["utterances"]
    utt2spk = data.read_kaldi_map(data.TRAIN_DIR / "utt2spk")
    _, valid_speakers = data.train_speakers()
    valid = set(valid_speakers)
    train, held_out = [], []
    for record in records:
        if record["id"] not in utt2spk:
            sys.exit(f"{record['id']} is not a train-split utterance")  # the test-split rule, enforced
        words = record["words"]
        item = dict(
            rows=np.array(record["rows"], dtype=np.float32),
            phones=np.array(record["phones"], dtype=np.int64),
            words=np.array(words, dtype=np.int64),
            phone_target=np.array(record["expertPhones"], dtype=np.float32),
            word_target=np.array([[record["expertWords"][w][a] / 5 for a in WORD_ASPECTS] for w in words],
                                 dtype=np.float32),
            utterance_target=np.array([record["expert"][a] / 5 for a in UTTERANCE_ASPECTS], dtype=np.float32),
            # The experts rated what was said against the real text: for an altered text only the phones hold.
            whole=not record.get("substituted", False),
            speaker=utt2spk[record["id"]],
        )
        if utt2spk[record["id"]] not in valid:
            train.append(item)
        elif item["whole"]:
            held_out.append(item)
    return store, train, held_out


def batches(items, size, shuffle):
    order = list(range(len(items)))
    if shuffle:
        random.shuffle(order)
    for start in range(0, len(order), size):
        chunk = [items[i] for i in order[start:start + size]]
        longest = max(len(item["phones"]) for item in chunk)

        def pad(key, fill=0.0):
            first = chunk[0][key]
            out = np.full((len(chunk), longest) + first.shape[1:], fill, dtype=first.dtype)
            for i, item in enumerate(chunk):
                out[i, : len(item[key])] = item[key]
            return torch.from_numpy(out)

        padding = torch.tensor([[i >= len(item["phones"]) for i in range(longest)] for item in chunk])
        yield dict(rows=pad("rows"), phones=pad("phones"), padding=padding, phone_target=pad("phone_target"),
                   word_target=pad("word_target"), whole=torch.tensor([item["whole"] for item in chunk]),
                   utterance_target=torch.from_numpy(np.stack([item["utterance_target"] for item in chunk])))


# ---------------------------------------------------------------------------------------------------------------
# Training and validation


def pcc(x, y):
    """Pearson's r, or None where it is undefined (the validation speakers' completeness is always 10)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.corrcoef(x, y)[0, 1]) if len(x) > 1 and x.std() > 0 and y.std() > 0 else None


def word_means(values, words):
    """Per-phone predictions [P, k] -> per-word means, in word order."""
    return [values[words == w].mean(0) for w in np.unique(words)]


def predictions(model, items):
    """(phone [P], word [P, 3], utterance [5]) of each item, one utterance at a time as the engine runs it."""
    model.eval()
    with torch.no_grad():
        outputs = (model(torch.from_numpy(i["rows"])[None], torch.from_numpy(i["phones"])[None]) for i in items)
        return [tuple(o[0].numpy() for o in output) for output in outputs]


def detection_threshold(model, items):
    """The 0..100 phone score below which a phone is flagged, best F1 on the validation speakers; a phone is
    mispronounced when its expert score is below 0.5 (the evaluation's definition)."""
    predicted = 50 * np.concatenate([phone for phone, _, _ in predictions(model, items)])
    wrong = np.concatenate([i["phone_target"] for i in items]) < 0.5
    best = (0.0, 50)
    for threshold in range(5, 96):
        flagged = predicted < threshold
        tp = np.sum(flagged & wrong)
        f1 = 2 * tp / max(np.sum(flagged) + np.sum(wrong), 1)
        best = max(best, (float(f1), threshold))
    return {"mispronounced_below": best[1], "validation_f1": best[0]}


def evaluate(model, items):
    """PCCs on the held-out speakers, computed the way models/eval/so762.ts computes them on the test split."""
    phone, phone_true, word, word_true, utt, utt_true = [], [], [], [], [], []
    for item, (p, w, u) in zip(items, predictions(model, items)):
        phone += p.tolist()
        phone_true += item["phone_target"].tolist()
        word += word_means(w, item["words"])
        word_true += word_means(item["word_target"], item["words"])
        utt.append(u)
        utt_true.append(item["utterance_target"])
    word, word_true, utt, utt_true = map(np.array, (word, word_true, utt, utt_true))
    phone, phone_true = np.array(phone), np.array(phone_true)
    result = {"phone_pcc": pcc(phone, phone_true), "phone_mse": float(np.mean((phone - phone_true) ** 2))}
    result.update({f"word_{a}_pcc": pcc(word[:, k], word_true[:, k]) for k, a in enumerate(WORD_ASPECTS)})
    result.update({f"utterance_{a}_pcc": pcc(utt[:, k], utt_true[:, k]) for k, a in enumerate(UTTERANCE_ASPECTS)})
    return result


def loss_of(model, batch):
    phone, word, utterance = model(batch["rows"], batch["phones"], batch["padding"])
    keep = ~batch["padding"]
    whole = batch["whole"]
    phone_loss = ((phone - batch["phone_target"]) ** 2)[keep].mean()
    if not whole.any():
        return phone_loss
    word_loss = ((word - batch["word_target"]) ** 2)[keep & whole[:, None]].mean()
    utterance_loss = ((utterance - batch["utterance_target"]) ** 2)[whole].mean()
    return phone_loss + word_loss + utterance_loss


def selection_score(metrics):
    """What an epoch count is chosen by: the milestone's two figures, phone and utterance accuracy PCC."""
    return metrics["phone_pcc"] + metrics["utterance_accuracy_pcc"]


class Ensemble(nn.Module):
    """The mean of several scorers trained alike from different seeds: one scorer's figures move by +-0.03 from one
    epoch to the next, and their mean is steadier on speakers none has seen. The engine runs it as one graph."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, rows, phones, padding=None):
        outputs = [member(rows, phones, padding) for member in self.members]
        return tuple(torch.stack(parts).mean(0) for parts in zip(*outputs))


def fit(args, seed, store, items, epochs, held_out):
    """One scorer trained on `items` for `epochs` epochs of the args.epochs-long cosine schedule (so a shorter run is
    the start of a full one): (model, each epoch's metrics on `held_out`)."""
    random.seed(seed)
    torch.manual_seed(seed)
    model = Scorer(store["dim"], len(store["inventory"]))
    rows = np.concatenate([item["rows"] for item in items if item["whole"]])
    model.mean.copy_(torch.from_numpy(rows.mean(0)))
    model.std.copy_(torch.from_numpy(np.maximum(rows.std(0), 1e-3)))
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        total = 0.0
        for batch in batches(items, args.batch, shuffle=True):
            optimizer.zero_grad()
            loss = loss_of(model, batch)
            loss.backward()
            optimizer.step()
            total += float(loss) * len(batch["phones"])
        schedule.step()
        metrics = {"seed": seed, "epoch": epoch, "train_loss": total / len(items), **evaluate(model, held_out)}
        history.append(metrics)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in metrics.items()}), flush=True)
    return model.eval(), history


def cross_validate(args, store, train_items):
    """The epoch count, chosen on every training speaker instead of the 11 validation speakers: the training speakers
    fall into args.folds groups, and a scorer trained on the others is measured on each group after every epoch.
    Returns (epochs, the folds' mean metrics per epoch)."""
    speakers = sorted({item["speaker"] for item in train_items})
    by_epoch = [[] for _ in range(args.epochs)]
    for fold in range(args.folds):
        held = set(speakers[fold :: args.folds])
        print(json.dumps({"fold": fold, "speakers": len(held)}), flush=True)
        _, history = fit(args, args.seed + 1000 + fold, store,
                         [i for i in train_items if i["speaker"] not in held], args.epochs,
                         [i for i in train_items if i["speaker"] in held and i["whole"]])
        for epoch, metrics in enumerate(history):
            by_epoch[epoch].append(metrics)
    means = [{key: float(np.mean([m[key] for m in folds])) for key in ("phone_pcc", "utterance_accuracy_pcc",
                                                                          "word_accuracy_pcc", "utterance_total_pcc")}
             for folds in by_epoch]
    best = max(range(args.epochs), key=lambda e: selection_score(means[e]))
    return best + 1, [{"epoch": e + 1, **m} for e, m in enumerate(means)]


def train(args):
    torch.set_num_threads(2)
    store, train_items, valid_items = load_features(args.features, args.substituted)
    run = Path(args.run)
    run.mkdir(parents=True, exist_ok=True)
    epochs, folds = cross_validate(args, store, train_items)
    print(json.dumps({"epochs": epochs}), flush=True)
    members, kept = [], []
    for seed in range(args.seed, args.seed + args.members):
        model, history = fit(args, seed, store, train_items, epochs, valid_items)
        members.append(model)
        kept.append(history[-1])
    ensemble = Ensemble(members).eval()
    validation = evaluate(ensemble, valid_items)
    print(json.dumps({"ensemble": validation}), flush=True)
    torch.save({"members": [{"config": m.config, "state": m.state_dict()} for m in members], "validation": validation},
               run / "checkpoint.pt")
    summary = {
        "detection": detection_threshold(ensemble, valid_items),
        "train_utterances": sum(item["whole"] for item in train_items),
        "simulated_substitutions": sum(not item["whole"] for item in train_items),
        "validation_utterances": len(valid_items),
        "validation_speakers": "every 12th train speaker (data.train_speakers), also held out of the acoustic model",
        "cross_validation": {"folds": args.folds, "epochs_of": args.epochs, "epochs_kept": epochs, "by_epoch": folds},
        "kept": validation, "members": kept, "lr": args.lr, "batch": args.batch,
    }
    (run / "metrics.json").write_text(json.dumps(summary, indent=1))


def load(checkpoint):
    saved = torch.load(checkpoint)
    members = []
    for member in saved["members"]:
        model = Scorer(**member["config"])
        model.load_state_dict(member["state"])
        members.append(model)
    return Ensemble(members).eval(), saved


def check_with_ort(model, path, item):
    """Max |onnxruntime - PyTorch| over the three outputs for one held-out utterance."""
    rows, phones = item["rows"][None], item["phones"][None]
    out = run_onnxruntime_node(path, {"features": rows, "phones": phones})
    if out is None:
        raise SystemExit("ONNX check failed: onnxruntime-node did not run the scorer")
    with torch.no_grad():
        ref = Export(model).eval()(torch.from_numpy(rows), torch.from_numpy(phones))
    return max(float(np.max(np.abs(out[name] - r.numpy())))
               for name, r in zip(["phone_scores", "word_scores", "utterance_scores"], ref))


def export(args):
    """Writes the ONNX file and adds it as "scorer" to the acoustic model's manifest (they are a pair)."""
    model, saved = load(args.checkpoint)
    config = saved["members"][0]["config"]
    dim = config["input_dim"]
    example = (torch.randn(1, 12, dim), torch.randint(0, config["phones"], (1, 12)))
    onnx_path = Path(args.onnx)
    torch.onnx.export(Export(model).eval(), example, str(onnx_path), input_names=["features", "phones"],
                      output_names=["phone_scores", "word_scores", "utterance_scores"],
                      dynamic_axes={"features": {1: "P"}, "phones": {1: "P"}, "phone_scores": {1: "P"},
                                    "word_scores": {1: "P"}}, opset_version=OPSET)
    _, _, held_out = load_features(args.features)
    max_diff = check_with_ort(model, onnx_path, held_out[0])
    print(f"onnxruntime vs PyTorch max |diff| = {max_diff}")
    if max_diff > 1e-3:
        raise SystemExit("ONNX check failed")
    blob = onnx_path.read_bytes()
    manifest_path = Path(args.manifest)
    manifest = json.loads(manifest_path.read_text())
    summary = json.loads((Path(args.checkpoint).parent / "metrics.json").read_text())
    manifest["scorer"] = {
        "model": onnx_path.name,
        "sha256": hashlib.sha256(blob).hexdigest(),
        "bytes": len(blob),
        "input_dim": dim,
        "mispronounced_below": summary["detection"]["mispronounced_below"],
        "format": {"onnx_opset": OPSET,
                   "inputs": "features [1, P, input_dim] float32 (native/src/scoring/scorer_input.h), phones [1, P] int64",
                   "outputs": "phone_scores [1, P], word_scores [1, P, 3] (accuracy, stress, total), "
                              "utterance_scores [1, 5] (accuracy, completeness, fluency, prosodic, total); 0..100"},
        "architecture": {"type": "mean of GOPT-style transformers", "members": len(saved["members"]), **config,
                         "parameters": sum(p.numel() for p in model.parameters())},
        "acoustic_model_sha256": manifest["sha256"],
        "training_data": {"speechocean762": "train split, expert scores", "train_utterances": summary["train_utterances"],
                          "simulated_substitutions": summary["simulated_substitutions"],
                          "validation_utterances": summary["validation_utterances"], "test_split": "never read"},
        "validation": summary["kept"],
        "onnxruntime_check_max_abs_diff": max_diff,
    }
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {onnx_path} ({len(blob)} bytes) and the scorer entry of {manifest_path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    trainer = commands.add_parser("train")
    trainer.add_argument("features")
    trainer.add_argument("run")
    trainer.add_argument("--substituted", help="simulated substitutions from scorer_features.ts --substitute")
    trainer.add_argument("--epochs", type=int, default=12,
                         help="the schedule's length; members keep the epoch count cross-validation chooses")
    trainer.add_argument("--folds", type=int, default=5, help="groups of training speakers for cross-validation")
    trainer.add_argument("--members", type=int, default=8, help="scorers averaged, seeds --seed, --seed + 1, ...")
    trainer.add_argument("--batch", type=int, default=25)
    trainer.add_argument("--lr", type=float, default=1e-3)
    trainer.add_argument("--seed", type=int, default=0)
    out = commands.add_parser("export")
    out.add_argument("checkpoint")
    out.add_argument("onnx")
    out.add_argument("--features", required=True, help="the training features (for the ONNX check)")
    out.add_argument("--manifest", default=str(Path(__file__).resolve().parents[1] / "manifest.json"))
    args = parser.parse_args()
    train(args) if args.command == "train" else export(args)


if __name__ == "__main__":
    main()
