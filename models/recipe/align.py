"""Viterbi forced alignment of the real train utterances to their canonical phones.

    python3 -m models.recipe.align CHECKPOINT models/work/real OUT_DIR

Graph per utterance: optional SIL, word 1's phones, optional SIL, word 2's phones, ..., optional SIL;
left to right, each phone at least MIN_PHONE_FRAMES frames (a chain of states, the last one looping).
Scores are the model's log posteriors minus PRIOR_SCALE times its log phone priors (the mean posterior over the
train speakers' frames): with raw posteriors the frequent SIL class wins every doubtful frame, so each iteration's
model, trained on the previous alignment, called more speech silence (45% of frames SIL in alignment 1, 63% in
alignment 2). Output: OUT_DIR/labels.npy, one label per frame of the store, with the frames of phones the experts
scored below GOOD_SCORE set to IGNORE (the model should learn what correct phones sound like), OUT_DIR/priors.json
and OUT_DIR/summary.json.
"""
import json
import sys
from pathlib import Path

import numpy as np

from . import data
from .cli import checkpoint_and_store
from .model import log_posteriors

MIN_PHONE_FRAMES = 3
GOOD_SCORE = 2.0  # phone scores are expert means in 0..2; anything below 2 had at least one dissent
PRIOR_SCALE = 1.0  # hybrid scaled likelihoods: log p(x|phone) = log p(phone|x) - log p(phone) + const
LOUD_DB = 10.0  # a SIL frame within this many dB of the utterance's loud frames is probably speech


def build_graph(words, phone_id=data.PHONE_INDEX.__getitem__):
    """-> (phone id per state, word-phone index per state or -1 for SIL, self-loop, skippable). `words` name
    their phones as `phone_id` reads them (default: English phone names)."""
    phone, which, loop, skip = [], [], [], []

    def add_sil():
        phone.append(data.SIL), which.append(-1), loop.append(True), skip.append(True)

    add_sil()
    k = 0
    for word in words:
        for p in word:
            for r in range(MIN_PHONE_FRAMES):
                phone.append(phone_id(p)), which.append(k)
                loop.append(r == MIN_PHONE_FRAMES - 1), skip.append(False)
            k += 1
        add_sil()
    return np.array(phone), np.array(which), np.array(loop), np.array(skip)


def viterbi(logp, phone, loop, skip):
    """logp [T, P] -> best state per frame, or None if the utterance is too short for the graph."""
    T, S = len(logp), len(phone)
    emit = logp[:, phone]
    neg = -np.inf
    score = np.full(S, neg)
    score[0] = emit[0, 0]
    score[1] = emit[0, 1]  # the leading SIL may be skipped
    back = np.zeros((T, S), dtype=np.int32)
    states = np.arange(S)
    # Predecessor j-2 is allowed only over a skippable (optional SIL) state j-1.
    can_skip = np.zeros(S, bool)
    can_skip[2:] = skip[1:-1]
    for t in range(1, T):
        stay = np.where(loop, score, neg)
        step = np.concatenate([[neg], score[:-1]])
        jump = np.where(can_skip, np.concatenate([[neg, neg], score[:-2]]), neg)
        best = np.maximum(np.maximum(stay, step), jump)
        back[t] = np.where(best == stay, states, np.where(best == step, states - 1, states - 2))
        score = best + emit[t]
    end = S - 1 if score[S - 1] >= score[S - 2] else S - 2  # the trailing SIL may be skipped
    if not np.isfinite(score[end]):
        return None, None
    path = np.empty(T, dtype=np.int64)
    path[-1] = end
    for t in range(T - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path, float(score[end]) / T


def utterance_log_posteriors(model, feats, lengths):
    """The model's log posteriors [T, P] for each utterance of the store, in order."""
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return [log_posteriors(model, feats[offset: offset + n]) for offset, n in zip(offsets, lengths)]


def log_priors(logps, index):
    """Natural-log mean posterior per phone over the train speakers' frames (the validation speakers stay unseen)."""
    held_out = set(index["valid_speakers"])
    picked = [lp for lp, speaker in zip(logps, index["speakers"]) if speaker not in held_out]
    mean = np.concatenate([np.exp(lp) for lp in picked]).mean(0)
    return np.log(np.maximum(mean, 1e-8))


def loud_frames(utterance_feats):
    """Frames whose log-mel energy is within LOUD_DB of the utterance's loud (95th percentile) frames."""
    energy = np.log(np.exp(np.asarray(utterance_feats, dtype=np.float64)).sum(1))
    return energy > np.percentile(energy, 95) - LOUD_DB * np.log(10) / 10


def main():
    args, model, (index, feats, _) = checkpoint_and_store(__doc__)
    logps = utterance_log_posteriors(model, feats, index["lengths"])
    priors = log_priors(logps, index)
    labels = np.full(len(feats), data.IGNORE, dtype=np.int16)
    offset, failed, masked, kept, sil, loud_sil, per_frame = 0, 0, 0, 0, 0, 0, []
    for words, scores, n, logp in zip(index["words"], index["scores"], index["lengths"], logps):
        phone, which, loop, skip = build_graph(words)
        path, avg = viterbi(logp - PRIOR_SCALE * priors, phone, loop, skip)
        if path is None:
            failed += 1
        else:
            good = np.array([s >= GOOD_SCORE for w in scores for s in w] + [True])  # [-1] -> SIL is good
            frame_phone, frame_which = phone[path], which[path]
            ok = good[frame_which]
            labels[offset: offset + n] = np.where(ok, frame_phone, data.IGNORE)
            masked += int((~ok).sum())
            kept += int(ok.sum())
            is_sil = frame_phone == data.SIL
            sil += int(is_sil.sum())
            loud_sil += int((is_sil & loud_frames(feats[offset: offset + n])).sum())
            per_frame.append(avg)
        offset += n
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "labels.npy", labels)
    (out / "priors.json").write_text(json.dumps({"phones": data.PHONES, "log_priors": priors.tolist()}, indent=1))
    summary = {"checkpoint": args.checkpoint, "prior_scale": PRIOR_SCALE, "utterances": len(index["lengths"]),
               "failed": failed, "frames_labelled": kept, "frames_masked_mispronounced": masked, "sil_frames": sil,
               "sil_share": sil / max(kept + masked, 1), "loud_sil_share_of_sil": loud_sil / max(sil, 1),
               "mean_scaled_score_per_frame": float(np.mean(per_frame))}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
