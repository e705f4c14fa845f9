"""speechocean762 train split, the phone inventory, audio decoding and the on-disk feature store.

Test-split rule: this module only ever opens `train/` lists. `scores.tsv` holds both splits in one
file, so `train_scores` discards every line whose utterance is not in train/utt2spk before parsing it.
"""
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from . import features

CORPUS = Path("/work/shared/data/speechocean762")
TRAIN_DIR = CORPUS / "train"  # the only list directory the recipe reads

# The model's output inventory, in output order: silence, then the 39 CMU phones without stress.
PHONES = ["SIL"] + (
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split()
)
PHONE_INDEX = {p: i for i, p in enumerate(PHONES)}
SIL = PHONE_INDEX["SIL"]
IGNORE = -100  # frame label excluded from the loss (torch's CrossEntropyLoss default ignore_index)

# Validation speakers: every VALID_EVERY-th train speaker in sorted order (~8%, a mix of children and
# adults because ids interleave); used for validation accuracy and never trained on.
VALID_EVERY = 12


def strip_phone(tagged):
    """'AO0_I' -> 'AO' (drop position tag and stress digit)."""
    return tagged.split("_")[0].rstrip("012")


def read_kaldi_map(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        key, *value = line.split(maxsplit=1)
        out[key] = value[0].strip() if value else ""
    return out


def train_speakers():
    """(train speakers, validation speakers), both subsets of train/spk2utt."""
    speakers = sorted(read_kaldi_map(TRAIN_DIR / "spk2utt"))
    valid = speakers[::VALID_EVERY]
    return [s for s in speakers if s not in valid], valid


def train_utterances():
    """{utt: {'speaker', 'text', 'words': [[phone, ...], ...]}} for every train-split utterance."""
    utt2spk = read_kaldi_map(TRAIN_DIR / "utt2spk")
    texts = read_kaldi_map(TRAIN_DIR / "text")
    words = {}
    # text-phone covers both splits; keys are '<utt>.<word index>', so keep train keys only.
    for line in open(CORPUS / "resource" / "text-phone", encoding="utf-8"):
        key, *tagged = line.split()
        utt, _, index = key.partition(".")
        if utt in utt2spk:
            words.setdefault(utt, {})[int(index)] = [strip_phone(p) for p in tagged]
    return {
        utt: {"speaker": spk, "text": texts[utt], "words": [words[utt][i] for i in sorted(words[utt])]}
        for utt, spk in utt2spk.items()
    }


def train_scores(utts):
    """{utt: [[phone score, ...] per word]} from scores.tsv, train utterances only (see module doc)."""
    out = {}
    for line in open(CORPUS / "scores.tsv", encoding="utf-8"):
        utt, _, rest = line.partition("\t")
        if utt not in utts:
            continue
        word_fields = rest.rstrip("\n").split("\t")[6].split(" | ")
        out[utt] = [[float(s) for s in w.split(";")[5].split()] for w in word_fields]
    return out


def decode_many(paths, sample_rate=features.SAMPLE_RATE):
    """Audio files -> mono float32 at 16 kHz each, via one ffmpeg process (its start-up costs more
    than decoding a file); ffmpeg also drops the Opus pre-skip, so sample 0 is the recording's first."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["ffmpeg", "-nostdin", "-v", "error"]
        for path in paths:
            cmd += ["-i", str(path)]
        for k in range(len(paths)):
            cmd += ["-map", f"{k}:a", "-f", "f32le", "-ac", "1", "-ar", str(sample_rate), f"{tmp}/{k}.raw"]
        subprocess.run(cmd, check=True, capture_output=True)
        return [np.fromfile(f"{tmp}/{k}.raw", dtype=np.float32) for k in range(len(paths))]


def audio_path(utt):
    return CORPUS / "audio" / f"{utt}.opus"


class FeatureStore:
    """One data set on disk: concatenated features (float16 halves RAM and disk; fbank values are
    log energies in about [-16, 30], where float16's ~0.01 resolution is far below the data's noise),
    per-frame labels and an index of utterances."""

    def __init__(self, directory):
        self.dir = Path(directory)

    def exists(self):
        return (self.dir / "index.json").exists()

    def write(self, items, extra=None):
        """items: iterable of (utt id, features [T, 80], labels [T] int) -> writes the store."""
        self.dir.mkdir(parents=True, exist_ok=True)
        ids, lengths, feats, labels = [], [], [], []
        for utt, f, lab in items:
            ids.append(utt)
            lengths.append(len(f))
            feats.append(f.astype(np.float16))
            labels.append(np.asarray(lab, dtype=np.int16))
        np.save(self.dir / "feats.npy", np.concatenate(feats))
        np.save(self.dir / "labels.npy", np.concatenate(labels))
        index = {"utts": ids, "lengths": lengths, **(extra or {})}
        (self.dir / "index.json").write_text(json.dumps(index))

    def load(self):
        index = json.loads((self.dir / "index.json").read_text())
        feats = np.load(self.dir / "feats.npy", mmap_mode="r")
        labels = np.load(self.dir / "labels.npy")
        return index, feats, labels
