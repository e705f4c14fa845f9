"""GOP sanity check on the held-out TRAIN speakers (never the test split).

    python3 -m models.recipe.check_gop CHECKPOINT models/work/real OUT.json

Aligns each validation-speaker utterance with the model (align.py's graph) and scores every canonical
phone by GOP = mean over its frames of (log p(canonical phone) - max over phones of log p), then asks
how well GOP separates phones the experts scored 2 from phones they scored below 1 (ROC AUC), and
how it correlates with the expert phone score. Validation only; nothing here is tuned on it.
"""
import sys

import numpy as np

from . import align
from .cli import checkpoint_and_store, report
from .model import log_posteriors


def roc_auc(positive, negative):
    """P(random positive > random negative), ties counted half (Mann-Whitney U)."""
    scores = np.concatenate([positive, negative])
    ranks = np.empty(len(scores))
    order = np.argsort(scores, kind="mergesort")
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):  # average ranks over ties
        tie = scores == value
        ranks[tie] = ranks[tie].mean()
    u = ranks[: len(positive)].sum() - len(positive) * (len(positive) + 1) / 2
    return float(u / (len(positive) * len(negative)))


def main():
    args, model, (index, feats, _) = checkpoint_and_store(__doc__)
    held_out = set(index["valid_speakers"])
    gops, expert = [], []
    offset = 0
    for speaker, words, scores, n in zip(index["speakers"], index["words"], index["scores"], index["lengths"]):
        if speaker in held_out:
            logp = log_posteriors(model, feats[offset: offset + n])
            phone, which, loop, skip = align.build_graph(words)
            path, _ = align.viterbi(logp, phone, loop, skip)
            if path is not None:
                frame_gop = logp[np.arange(n), phone[path]] - logp.max(axis=1)
                w = which[path]
                for k, score in enumerate(s for word in scores for s in word):
                    gops.append(float(frame_gop[w == k].mean()))
                    expert.append(score)
        offset += n
    gops, expert = np.array(gops), np.array(expert)
    result = {"checkpoint": args.checkpoint, "phones": int(len(gops)),
              "auc_score2_vs_below1": roc_auc(gops[expert >= 2], gops[expert < 1]),
              "auc_score2_vs_below2": roc_auc(gops[expert >= 2], gops[expert < 2]),
              "pearson_gop_vs_score": float(np.corrcoef(gops, expert)[0, 1]),
              "phones_below1": int((expert < 1).sum()), "phones_score2": int((expert >= 2).sum())}
    report(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
