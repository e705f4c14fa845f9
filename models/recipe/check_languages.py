"""Held-out figures of the multilingual model, per language and per voice, on speech with exact labels.

    python3 -m models.recipe.check_languages CHECKPOINT models/work/multi/heldout OUT.json [--every N]

The store is espeak-ng speech of voice variants the model never trained on (languages.HELD_OUT_VARIANTS),
with the same augmentation as training. Per language:
- frame accuracy: argmax phone against the espeak label of each frame (IGNORED frames left out);
- phone error rate of free decoding: a loop of every phone with the engine's phone-loop topology
  (native/src/align/phone_loop.h: 3 states per phone, self-loop 0.75, forward 0.25, 1 nat per phone
  entered, never a phone after itself) on raw log posteriors; SIL dropped and repeats merged on both sides;
- the same two with only the language's own phones (those its training utterances use, --phone-sets):
  the engine's phone loop today offers every phone of the inventory, so the first figures are the ones
  that hold for it, these show what a per-language phone set would give;
- forced alignment to the true phone sequence (align.viterbi, optional SIL at pauses): frame agreement
  and how far each aligned phone start is from espeak's (within 20 ms = 2 frames, 50 ms), as
  check_align.py measures the English model.
No real speech in these languages exists on this machine, so there is no real-speech figure.
"""
import argparse
import collections
import itertools
import json
import sys

import numpy as np
import torch

from . import align, data, languages
from .model import load, log_posteriors

STATES, SELF_LOOP, FORWARD, ENTRY_PENALTY = 3, np.log(0.75), np.log(0.25), 1.0


def phone_loop(logp):
    """logp [T, P] -> the best phone sequence [(phone, start frame)] of the phone loop."""
    T, P = logp.shape
    if T < STATES:
        return []
    phones = np.arange(P)
    score = np.full((P, STATES), -np.inf)
    score[:, 0] = logp[0]
    moved = np.zeros((T, P, STATES), dtype=bool)  # came from the state before (else: its self-loop)
    entered_from = np.full((T, P), -1)  # state 0 entered from this phone's last state (-1: self-loop)
    for t in range(1, T):
        leave = score[:, -1] + FORWARD
        order = np.argsort(leave)
        best, second = order[-1], order[-2]
        source = np.where(phones == best, second, best)  # never a phone after itself
        enter = leave[source] - ENTRY_PENALTY
        stay = score + SELF_LOOP
        step = np.concatenate([enter[:, None], score[:, :-1] + FORWARD], axis=1)
        moved[t] = step > stay
        entered_from[t] = np.where(moved[t, :, 0], source, -1)
        score = np.maximum(stay, step) + logp[t][:, None]
    phone, k, out = int(np.argmax(score[:, -1])), STATES - 1, []
    for t in range(T - 1, 0, -1):
        if not moved[t, phone, k]:
            continue
        if k > 0:
            k -= 1
            continue
        out.append((phone, t))
        phone, k = int(entered_from[t, phone]), STATES - 1
    out.append((phone, 0))
    return out[::-1]


def sequence(phones):
    """Phone ids -> without SIL/IGNORE, consecutive repeats merged (geminates are one run of frames)."""
    kept = [p for p in phones if p not in (data.SIL, data.IGNORE)]
    return [p for p, _ in itertools.groupby(kept)]


def edits(ref, hyp):
    """-> (substitutions [(ref, hyp)], deletions, insertions) of a minimum edit distance alignment."""
    d = np.arange(len(hyp) + 1)[None, :] + np.zeros((len(ref) + 1, 1), dtype=np.int64)
    d[:, 0] = np.arange(len(ref) + 1)
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            d[i, j] = min(d[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1]), d[i - 1, j] + 1, d[i, j - 1] + 1)
    subs, dels, ins, i, j = [], 0, 0, len(ref), len(hyp)
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i, j] == d[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1]):
            if ref[i - 1] != hyp[j - 1]:
                subs.append((ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and d[i, j] == d[i - 1, j] + 1:
            dels, i = dels + 1, i - 1
        else:
            ins, j = ins + 1, j - 1
    return subs, dels, ins


def truth_runs(labels):
    """Frame labels -> words (phone-id runs between SIL runs) and each phone's true start frame; IGNORED
    frames belong to the phone before them (to SIL at the very start)."""
    filled = np.where(labels == data.IGNORE, data.SIL, labels)
    for t in np.flatnonzero(labels == data.IGNORE):
        filled[t] = filled[t - 1] if t > 0 else data.SIL
    words, starts = [[]], []
    for t in np.flatnonzero(np.diff(filled, prepend=-1) != 0):  # where each run starts
        if filled[t] == data.SIL:
            words.append([])
        else:
            words[-1].append(int(filled[t]))
            starts.append(int(t))
    return [w for w in words if w], starts


def boundary_errors(logp, labels):
    """-> (frames agreeing with the truth, labelled frames, phone-start errors in frames) or None."""
    words, true_starts = truth_runs(labels)
    phone, which, loop, skip = align.build_graph(words, phone_id=int)  # words of phone ids
    path, _ = align.viterbi(logp, phone, loop, skip)
    if path is None:
        return None
    known = labels != data.IGNORE
    agree = int(((phone[path] == labels) & known).sum())
    w = which[path]
    starts = [t for t in range(len(w)) if w[t] >= 0 and (t == 0 or w[t] != w[t - 1])]
    return agree, int(known.sum()), [abs(a - b) for a, b in zip(starts, true_starts)]


class Tally:
    """Counts of one group of utterances (a language, or one voice of it)."""

    def __init__(self):
        self.c = collections.Counter()
        self.start_errors, self.confusions = [], collections.Counter()

    def add_recognition(self, labels, guess, ref, hyp):
        known = labels != data.IGNORE
        speech = known & (labels != data.SIL)
        self.c.update(frames=int(known.sum()), right=int((guess == labels)[known].sum()),
                      speech=int(speech.sum()), right_speech=int((guess == labels)[speech].sum()),
                      utterances=1, ref_phones=len(ref))
        subs, dels, ins = edits(ref, hyp)
        self.c.update(substitutions=len(subs), deletions=dels, insertions=ins)
        self.confusions.update(subs)

    def add_alignment(self, forced):
        if forced is None:
            self.c.update(align_failed=1)
        else:
            agree, known_frames, errors = forced
            self.c.update(align_agree=agree, align_frames=known_frames, aligned=1)
            self.start_errors += errors

    def result(self, confusions=0):
        c, e = self.c, np.array(self.start_errors)
        out = {"utterances": c["utterances"], "frame_acc": c["right"] / max(c["frames"], 1),
               "frame_acc_nonsil": c["right_speech"] / max(c["speech"], 1), "ref_phones": c["ref_phones"],
               "per": (c["substitutions"] + c["deletions"] + c["insertions"]) / max(c["ref_phones"], 1),
               "substitutions": c["substitutions"], "deletions": c["deletions"], "insertions": c["insertions"]}
        if c["aligned"] or c["align_failed"]:
            out.update(align_failed=c["align_failed"], align_frame_agreement=c["align_agree"] / max(c["align_frames"], 1),
                       phone_starts=int(len(e)),
                       phone_starts_within_20ms=float(np.mean(e <= 2)) if len(e) else None,
                       phone_starts_within_50ms=float(np.mean(e <= 5)) if len(e) else None,
                       phone_start_error_frames_median=float(np.median(e)) if len(e) else None)
        if confusions:
            out["top_confusions"] = [f"{languages.INVENTORY[r]}->{languages.INVENTORY[h]} {n}"
                                     for (r, h), n in self.confusions.most_common(confusions)]
        return out


def language_of(utt):
    return utt.split("-")[1]  # languages.jobs names utterances SPLIT-LANGUAGE-N


def phone_sets(store):
    """{language: bool mask over the inventory of the phones its utterances in `store` use, SIL included}."""
    index, _, labels = data.FeatureStore(store).load()
    masks = collections.defaultdict(lambda: np.eye(len(languages.INVENTORY), dtype=bool)[data.SIL])
    offset = 0
    for utt, n in zip(index["utts"], index["lengths"]):
        used = np.unique(labels[offset: offset + n])
        masks[language_of(utt)][used[used >= 0]] = True
        offset += n
    return masks


def recognise(logp):
    """-> (frame argmax, phone sequence of the phone loop)."""
    return logp.argmax(-1), sequence([p for p, _ in phone_loop(logp)])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("store")
    parser.add_argument("out")
    parser.add_argument("--every", type=int, default=1, help="check every Nth utterance of the store")
    parser.add_argument("--phone-sets", help="training store: also recognise with each language's own phones only")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model, _ = load(args.checkpoint)
    masks = phone_sets(args.phone_sets) if args.phone_sets else {}
    index, feats, labels = data.FeatureStore(args.store).load()
    offsets = np.concatenate([[0], np.cumsum(index["lengths"])[:-1]])
    by_language, by_voice, own = (collections.defaultdict(Tally) for _ in range(3))
    for i in range(0, len(offsets), args.every):
        off, n = offsets[i], index["lengths"][i]
        truth = np.asarray(labels[off: off + n], dtype=np.int64)
        logp = log_posteriors(model, feats[off: off + n])
        language, voice = language_of(index["utts"][i]), index["utterance_voices"][i]
        ref, (guess, hyp), forced = sequence(truth), recognise(logp), boundary_errors(logp, truth)
        for tally in (by_language[language], by_voice[voice]):
            tally.add_recognition(truth, guess, ref, hyp)
            tally.add_alignment(forced)
        if language in masks:
            guess, hyp = recognise(np.where(masks[language], logp, -np.inf))
            own[language].add_recognition(truth, guess, ref, hyp)
    result = {"checkpoint": args.checkpoint, "store": args.store, "every": args.every,
              "languages": {k: v.result(confusions=8) for k, v in sorted(by_language.items())},
              "voices": {k: v.result() for k, v in sorted(by_voice.items())}}
    if masks:
        result["own_phones_only"] = {k: v.result(confusions=8) for k, v in sorted(own.items())}
        result["phone_sets"] = {k: [languages.INVENTORY[p] for p in np.flatnonzero(m)] for k, m in sorted(masks.items())}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
    for k, v in result["languages"].items():
        print(k, {key: round(x, 3) if isinstance(x, float) else x for key, x in v.items()}, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
