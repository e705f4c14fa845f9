"""Frame cross-entropy training of the TDNN, with per-epoch checkpoints and resume.

    python3 -m models.recipe.train --name NAME --synth models/work/synth \
        [--real models/work/real --labels models/work/align1/labels.npy] [--init CKPT] --epochs N

Checkpoints go to models/work/NAME/ (resumed from there when present); the log and metrics to
models/runs/NAME/. Validation = the real utterances of the held-out train speakers (scored against
their alignment, when one is given) plus 3% of the synthetic utterances (exact labels).
"""
import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from . import data
from .model import TDNN, load, parameter_count

MODELS = Path(__file__).resolve().parents[1]
SYNTH_VALID_EVERY = 33  # every 33rd synthetic utterance (3%) is held out
FLOOR_PERCENTILE = 0.1  # percent
FREQ_MASKS, FREQ_MASK_BINS = 2, 8
TIME_MASK_EVERY, TIME_MASK_FRAMES = 100, 8


class Utterances:
    """Feature/label slices of one store, selected by utterance."""

    def __init__(self, feats, labels, offsets, lengths, picks):
        self.feats, self.labels = feats, labels
        self.spans = [(int(offsets[i]), int(lengths[i])) for i in picks]

    def frames(self):
        return sum(n for _, n in self.spans)


def open_store(path, labels_path=None):
    index, feats, labels = data.FeatureStore(path).load()
    if labels_path:
        labels = np.load(labels_path)
        assert len(labels) == len(feats), "alignment does not match the store"
    lengths = np.asarray(index["lengths"])
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return index, feats, labels, offsets, lengths


def split_sets(args):
    """-> (list of train Utterances, dict of name -> validation Utterances)."""
    train, valid = [], {}
    index, feats, labels, offsets, lengths = open_store(args.synth)
    n = len(lengths)
    train.append(Utterances(feats, labels, offsets, lengths, [i for i in range(n) if i % SYNTH_VALID_EVERY]))
    valid["synth"] = Utterances(feats, labels, offsets, lengths, range(0, n, SYNTH_VALID_EVERY))
    if args.real:
        index, feats, labels, offsets, lengths = open_store(args.real, args.labels)
        held_out = set(index["valid_speakers"])
        is_valid = [s in held_out for s in index["speakers"]]
        if args.labels:
            train.append(Utterances(feats, labels, offsets, lengths, [i for i, v in enumerate(is_valid) if not v]))
            valid["real"] = Utterances(feats, labels, offsets, lengths, [i for i, v in enumerate(is_valid) if v])
    return train, valid


def feature_stats(args):
    """Mean, std and floor per dimension over the training features: synthetic + real train speakers (no labels
    needed). The floor is the FLOOR_PERCENTILE of each bin: below nearly every frame of real speech, so it changes
    none of them, and the level exact digital silence is raised to (model.TDNN)."""
    total, total_sq, count, sample = np.zeros(80), np.zeros(80), 0, []
    for path in [args.synth] + ([args.real] if args.real else []):
        index, feats, _, offsets, lengths = open_store(path)
        held_out = set(index.get("valid_speakers", []))
        speakers = index.get("speakers", [None] * len(lengths))
        for i in range(0, len(lengths), 4):  # every 4th utterance is plenty for 80 means
            if speakers[i] in held_out:
                continue
            f = np.asarray(feats[offsets[i]: offsets[i] + lengths[i]], dtype=np.float64)
            total += f.sum(0)
            total_sq += (f**2).sum(0)
            count += len(f)
            sample.append(f[::4])
    mean = total / count
    floor = np.percentile(np.concatenate(sample), FLOOR_PERCENTILE, axis=0)
    return mean, np.sqrt(np.maximum(total_sq / count - mean**2, 1e-6)), floor


def batches(sets, max_frames, rng, fractions):
    """Length-bucketed batches (little padding) of whole utterances, in random order."""
    spans = []
    for s, fraction in zip(sets, fractions):
        picked = [sp for sp in s.spans if rng.random() < fraction]
        spans += [(s, off, n) for off, n in picked]
    spans.sort(key=lambda x: x[2])
    out, cur = [], []
    for item in spans:
        if cur and (len(cur) + 1) * item[2] > max_frames:
            out.append(cur)
            cur = []
        cur.append(item)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def collate(batch, mean):
    """Pad with the feature mean (0 after normalisation, like the convolutions' own zero padding)."""
    t = max(n for _, _, n in batch)
    x = np.tile(mean.astype(np.float32), (len(batch), t, 1))
    y = np.full((len(batch), t), data.IGNORE, dtype=np.int64)
    for b, (s, off, n) in enumerate(batch):
        x[b, :n] = s.feats[off: off + n]
        y[b, :n] = s.labels[off: off + n]
    return torch.from_numpy(x), torch.from_numpy(y)


@torch.no_grad()
def evaluate(model, utts, mean, max_frames):
    """Frame accuracy over labelled frames, overall and excluding SIL frames."""
    model.eval()
    right = total = right_speech = total_speech = 0
    for batch in batches([utts], max_frames, random.Random(0), [1.0]):
        x, y = collate(batch, mean)
        guess = model.logits(x).argmax(-1)
        mask = y != data.IGNORE
        speech = mask & (y != data.SIL)
        right += int((guess == y)[mask].sum())
        total += int(mask.sum())
        right_speech += int((guess == y)[speech].sum())
        total_speech += int(speech.sum())
    model.train()
    return {"frame_acc": right / max(total, 1), "frame_acc_nonsil": right_speech / max(total_speech, 1),
            "frames": total}


def spec_augment(x, mean, rng):
    """SpecAugment (Park et al. 2019) without warping: per utterance, FREQ_MASKS bands of up to FREQ_MASK_BINS mel
    bins and one time mask of up to TIME_MASK_FRAMES per TIME_MASK_EVERY frames are set to the feature mean (0 after
    the model's normalisation). 2.6 h of real speech is little for 2.4M parameters; masking keeps the model from
    leaning on any one band or instant. Labels are kept: the +-20 frame context sees past a mask."""
    batch, frames, bins = x.shape
    fill = torch.from_numpy(mean.astype(np.float32))
    for b in range(batch):
        for _ in range(FREQ_MASKS):
            width = rng.randint(0, FREQ_MASK_BINS)
            low = rng.randint(0, bins - width)
            x[b, :, low: low + width] = fill[low: low + width]
        for _ in range(frames // TIME_MASK_EVERY):
            width = rng.randint(0, TIME_MASK_FRAMES)
            start = rng.randint(0, max(0, frames - width))
            x[b, start: start + width] = fill
    return x


def learning_rate(step, total_steps, peak):
    """Linear warm-up over the first 10% of steps, then cosine decay to 0."""
    warmup = max(1, total_steps // 10)
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total_steps - warmup))))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True)
    parser.add_argument("--synth", required=True, help="synthetic feature store")
    parser.add_argument("--real", help="real (speechocean762 train) feature store")
    parser.add_argument("--labels", help="frame labels for --real from align.py")
    parser.add_argument("--init", help="checkpoint to start from (keeps its normalisation)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--synth-fraction", type=float, default=1.0, help="share of synthetic utterances per epoch")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch-frames", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-spec-augment", dest="spec_augment", action="store_false")
    parser.add_argument("--inventory", help="JSON file with the output phones, SIL first (default: data.PHONES)")
    parser.add_argument("--channels", type=int, default=384, help="TDNN width of a new model")
    args = parser.parse_args()
    phones = json.loads(Path(args.inventory).read_text()) if args.inventory else data.PHONES
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    work, run = MODELS / "work" / args.name, MODELS / "runs" / args.name
    work.mkdir(parents=True, exist_ok=True)
    run.mkdir(parents=True, exist_ok=True)
    log = open(run / "log.txt", "a")

    def say(msg):
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    train_sets, valid_sets = split_sets(args)
    fractions = [args.synth_fraction] + [1.0] * (len(train_sets) - 1)
    ckpt_path = work / "checkpoint.pt"
    if ckpt_path.exists():
        model, state = load(ckpt_path)
        say(f"resuming from {ckpt_path} after epoch {state['epoch']}")
    elif args.init:
        model, state = load(args.init)
        state = {**state, "epoch": 0, "step": 0, "history": [], "optimizer": None}
        say(f"initialised from {args.init}")
    else:
        mean, std, floor = feature_stats(args)
        state = {"num_phones": len(phones), "mean": mean, "std": std, "floor": floor,
                 "floor_percentile": FLOOR_PERCENTILE, "model_args": {"channels": args.channels},
                 "epoch": 0, "step": 0, "history": [], "optimizer": None}
        model = TDNN(state["num_phones"], mean, std, floor=floor, **state["model_args"])
    model.train()
    mean = np.asarray(state["mean"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    if state.get("optimizer"):
        optimizer.load_state_dict(state["optimizer"])
    say(f"args {vars(args)}; params {parameter_count(model)}; train frames "
        f"{[s.frames() for s in train_sets]}; valid frames { {k: v.frames() for k, v in valid_sets.items()} }")

    steps_per_epoch = len(batches(train_sets, args.batch_frames, random.Random(0), fractions))
    total_steps = steps_per_epoch * args.epochs
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=data.IGNORE)
    step = state["step"]
    for epoch in range(state["epoch"] + 1, args.epochs + 1):
        start, losses = time.time(), []
        augment_rng = random.Random(1000 + epoch)
        for i, batch in enumerate(batches(train_sets, args.batch_frames, random.Random(epoch), fractions)):
            x, y = collate(batch, mean)
            if args.spec_augment:
                x = spec_augment(x, mean, augment_rng)
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, total_steps, args.lr)
            loss = loss_fn(model.logits(x).reshape(-1, len(phones)), y.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            step += 1
            losses.append(float(loss))
            if i % 50 == 0:
                say(f"epoch {epoch} batch {i}/{steps_per_epoch} loss {np.mean(losses[-50:]):.3f}")
        metrics = {"epoch": epoch, "train_loss": float(np.mean(losses)), "seconds": time.time() - start,
                   **{f"valid_{k}": evaluate(model, v, mean, args.batch_frames) for k, v in valid_sets.items()}}
        state["history"].append(metrics)
        say(f"epoch {epoch} done: {json.dumps(metrics)}")
        state.update(model=model.state_dict(), optimizer=optimizer.state_dict(), epoch=epoch, step=step)
        torch.save(state, work / "checkpoint.tmp")
        (work / "checkpoint.tmp").replace(ckpt_path)  # atomic, so a kill never leaves half a checkpoint
        (run / "metrics.json").write_text(json.dumps({"args": vars(args), "history": state["history"]}, indent=1))
    say("finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
