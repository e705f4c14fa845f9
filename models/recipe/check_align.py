"""Alignment quality on held-out synthetic speech, where the true phone boundaries are known.

    python3 -m models.recipe.check_align CHECKPOINT models/work/synth OUT.json

Each held-out synthetic utterance (the ones train.py validates on) is force-aligned with align.py's
graph to its true phone sequence (SIL-separated runs play the part of words), and the result is
compared with the exact espeak-ng timings. Real speech has no reference timings, so this is the only
boundary-level check; it flatters the model, whose bootstrap data is of the same kind.
"""
import itertools
import sys

import numpy as np

from . import align, data
from .cli import checkpoint_and_store, report
from .model import log_posteriors
from .train import SYNTH_VALID_EVERY


def words_from_labels(labels):
    """Frame labels -> [[phone, ...], ...] split at SIL runs, and the true phone start frames."""
    words, word, starts, t = [], [], [], 0
    for label, run in itertools.groupby(labels):
        n = len(list(run))
        if label == data.SIL:
            if word:
                words.append(word)
            word = []
        else:
            word.append(data.PHONES[label])
            starts.append(t)
        t += n
    if word:
        words.append(word)
    return words, starts


def main():
    args, model, (index, feats, labels) = checkpoint_and_store(__doc__)
    offsets = np.concatenate([[0], np.cumsum(index["lengths"])[:-1]])
    agree = total = failed = 0
    errors = []
    for i in range(0, len(offsets), SYNTH_VALID_EVERY):
        off, n = offsets[i], index["lengths"][i]
        truth = labels[off: off + n]
        words, true_starts = words_from_labels(truth)
        phone, which, loop, skip = align.build_graph(words)
        logp = log_posteriors(model, feats[off: off + n])
        path, _ = align.viterbi(logp, phone, loop, skip)
        if path is None:
            failed += 1
            continue
        got = phone[path]
        agree += int((got == truth).sum())
        total += n
        # Start frame of each aligned phone: where the word-phone index changes to a new phone.
        w = which[path]
        got_starts = [t for t in range(n) if w[t] >= 0 and (t == 0 or w[t] != w[t - 1])]
        errors += [abs(a - b) for a, b in zip(got_starts, true_starts)] if len(got_starts) == len(true_starts) else []
    errors = np.array(errors)
    result = {"checkpoint": args.checkpoint, "utterances": len(range(0, len(offsets), SYNTH_VALID_EVERY)),
              "failed": failed, "frame_agreement": agree / max(total, 1),
              "phone_start_error_frames_median": float(np.median(errors)),
              "phone_starts_within_20ms": float(np.mean(errors <= 2)),
              "phone_starts_within_50ms": float(np.mean(errors <= 5)), "phone_starts": int(len(errors))}
    report(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
