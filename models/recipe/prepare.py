"""Build the feature stores: `synth` (espeak-ng speech, exact labels), `real` (speechocean762 train) and
`languages` (espeak-ng speech in five more languages, languages.py).

    python3 -m models.recipe.prepare synth models/work/synth
    python3 -m models.recipe.prepare real models/work/real
    python3 -m models.recipe.prepare languages models/work/multi/train --split train --per-language 800
"""
import argparse
import collections
import multiprocessing
import sys

import numpy as np

from . import data, features, languages, synth

SEED = 762
BATCH = 32  # utterances per ffmpeg round trip


def build_synth(out, phrases, workers):
    utts = data.train_utterances()
    # Validation speakers' sentences are left out here too, so validation never sees a text twice.
    _, valid_speakers = data.train_speakers()
    keep = {u: v for u, v in utts.items() if v["speaker"] not in valid_speakers}
    texts = synth.texts_for_synthesis(keep, phrases, SEED)
    jobs = [(f"synth{i:05d}", t, SEED * 100000 + i) for i, t in enumerate(texts)]
    render_store(out, jobs, synth.make_batch, workers, {"texts": texts})


def build_languages(out, split, per_language, workers):
    """Spanish, French, German, Italian, Portuguese (languages.py): the split's voice variants."""
    jobs = languages.jobs(split, per_language, SEED)
    render_store(out, jobs, languages.make_batch, workers, {
        "split": split, "inventory": languages.INVENTORY, "rules": languages.RULES,
        "texts": {utt: what for utt, what, _ in jobs}})


def render_store(out, jobs, make_batch, workers, extra):
    """Synthesises `jobs` with make_batch (synth.make_batch's contract) in `workers` processes and writes the
    store, with its hours, voices and the utterances left out for an unmapped phone."""
    batches = [jobs[i: i + BATCH] for i in range(0, len(jobs), BATCH)]
    seconds, voices, items, utterance_voices = 0.0, collections.Counter(), [], []
    with multiprocessing.Pool(workers) as pool:
        for n, results in enumerate(pool.imap(make_batch, batches)):
            for utt, f, labels, secs, voice in results:
                items.append((utt, f, labels))
                seconds += secs
                voices[voice] += 1
                utterance_voices.append(voice)
            if n % 20 == 0:
                print(f"synth {len(items)}/{len(jobs)}", flush=True)
    dropped = len(jobs) - len(items)
    data.FeatureStore(out).write(items, {"kind": "synthetic", "seconds": seconds, "voices": voices,
                                         "dropped_unmapped": dropped, "utterance_voices": utterance_voices,
                                         **extra})
    print(f"synth: {len(items)} utterances, {seconds / 3600:.2f} h, dropped {dropped}", flush=True)


def real_features(utts):
    audio = data.decode_many([data.audio_path(u) for u in utts])
    return [(u, features.fbank(x)) for u, x in zip(utts, audio)]


def build_real(out, workers):
    """Features of every train utterance; labels start as IGNORE until an alignment fills them."""
    utts = data.train_utterances()
    scores = data.train_scores(utts)
    ids = sorted(utts)
    items, seconds = [], 0.0
    with multiprocessing.Pool(workers) as pool:
        for results in pool.imap(real_features, [ids[i: i + BATCH] for i in range(0, len(ids), BATCH)]):
            for utt, f in results:
                items.append((utt, f, np.full(len(f), data.IGNORE)))
                seconds += len(f) * 0.01 + 0.015  # duration implied by the frame count
    _, valid = data.train_speakers()
    data.FeatureStore(out).write(items, {
        "kind": "real", "seconds": seconds, "valid_speakers": valid,
        "speakers": [utts[u]["speaker"] for u in ids],
        "words": [utts[u]["words"] for u in ids],
        "scores": [scores[u] for u in ids],
    })
    print(f"real: {len(items)} utterances, {seconds / 3600:.2f} h", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["synth", "real", "languages"])
    parser.add_argument("out")
    parser.add_argument("--phrases", type=int, default=2500, help="random train-vocabulary phrases to add")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--split", choices=["train", "heldout"], default="train", help="languages: which variants")
    parser.add_argument("--per-language", type=int, default=800, help="languages: utterances per language")
    args = parser.parse_args()
    if args.kind == "synth":
        build_synth(args.out, args.phrases, args.workers)
    elif args.kind == "languages":
        build_languages(args.out, args.split, args.per_language, args.workers)
    else:
        build_real(args.out, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
