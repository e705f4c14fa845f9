"""Spanish, French, German, Italian and Portuguese: voices, texts and the shared IPA inventory of the
multilingual acoustic model (models/multi-ipa-tdnn.onnx).

Speech and labels come from espeak-ng (synth.Espeak.synth_ipa): libespeak-ng initialised with phoneme
events named in IPA, so a label is the IPA of the very phoneme espeak spoke, as the engine's own
textToPhonemes writes it. `to_inventory` folds those names onto one inventory shared by the five languages
(RULES, copied into the model's manifest so that the API maps espeak's IPA exactly as training did):

1. per variety, espeak-ng's IPA names that are not the sound its voice makes (pt-br names its reduced
   /a/ 'æ' and its final /i/ 'y'; German names the vocalic r 'ɜ'),
2. stress, syllable, length marks and tie bars are dropped (German /iː/ vs /ɪ/ still differ by quality;
   Italian geminates are two phones in espeak already), so are espeak's '-' suffixes (French 'ə-'),
3. a few names are folded ('ss' -> 's', 'ɔø' -> 'ɔʏ'), and rare diphthongs and 'pf' are split into two
   phones sharing the duration (too few examples to learn as units).

Pauses (mnemonics starting with '_') are SIL. Other events without an IPA name (Italian's '@-' release,
Portuguese ';') are marked IGNORED: their frames are left out of the loss. An utterance with a phone
outside the inventory or a language switch ('(en)') is left out and counted.

Texts are random 2-7 word phrases of the word lists in wordlists/<language>.txt, written for this recipe.
Held-out voices: the variants in HELD_OUT_VARIANTS are never trained on.
"""
import random
import re
import unicodedata
from pathlib import Path

import numpy as np

from . import data, synth

WORDLISTS = Path(__file__).resolve().parent / "wordlists"
# language -> espeak-ng varieties (voice names for espeak_SetVoiceByName); each has all the variants below.
LANGUAGES = {"es": ("es", "es-419"), "fr": ("fr", "fr-be"), "de": ("de",), "it": ("it",), "pt": ("pt", "pt-br")}
TRAIN_VARIANTS = ("", "+m1", "+m2", "+m3", "+m4", "+m5", "+m6", "+f1", "+f2", "+f3", "+f4", "+klatt", "+klatt2",
                  "+klatt3")
HELD_OUT_VARIANTS = ("+m7", "+f5", "+klatt4")

IGNORED = "-"  # label of frames without a phone of their own (not in the inventory; IGNORE in the store)
RULES = {
    "by_variety": {"pt-br": {"æ": "ɐ", "y": "ɪ"}, "de": {"ɜ": "ɐ"}},
    "drop": "ˈˌ.ːˑ\u0361\u035c-",
    "fold": {"ss": "s", "ɔø": "ɔʏ", "g": "ɡ"},
    "split": {"eʊ": ["e", "ʊ"], "iʊ": ["i", "ʊ"], "ɛʊ": ["ɛ", "ʊ"], "oɪ": ["o", "ɪ"], "pf": ["p", "f"]},
}
# Output order: SIL first (the engine's silence phone is output 0), then vowels, then consonants.
INVENTORY = ["SIL"] + (
    "a e i o u ɛ ɔ ə ɐ ɑ ɪ ʊ y ø œ ɨ ɑ̃ ɔ̃ ɛ̃ œ̃ ɐ̃ õ ũ aɪ aʊ eɪ ɔʏ ɐ̃ʊ̃ "
    "p b t d k ɡ f v s z ʃ ʒ θ ð x ɣ β ç h ʁ m n ɲ ŋ l ʎ r ɾ ɹ j w ʝ ts dz tʃ dʒ"
).split()
INDEX = {p: i for i, p in enumerate(INVENTORY)}
assert INDEX["SIL"] == data.SIL
LABEL_INDEX = {**INDEX, IGNORED: data.IGNORE}
_DROP = re.compile(f"[{re.escape(RULES['drop'])}]")


def to_inventory(ipa, variety):
    """One espeak phoneme's IPA name -> its inventory phones (unchecked: a name may map outside it)."""
    name = unicodedata.normalize("NFC", ipa)
    name = RULES["by_variety"].get(variety.lower(), {}).get(name, name)
    name = _DROP.sub("", name)
    name = RULES["fold"].get(name, name)
    return RULES["split"].get(name, [name])


def event_phones(ipa, mnemonic, variety):
    """One phoneme event -> its labels, or None for a language switch or a phone outside the inventory."""
    if mnemonic.startswith("_"):
        return ["SIL"]
    if ipa.startswith("("):
        return None
    if not ipa:
        return [IGNORED]
    phones = to_inventory(ipa, variety)
    return phones if all(p in INDEX for p in phones) else None


def ipa_intervals(events, total_samples, variety):
    """[(IPA, mnemonic, start)] -> [(label, start, end)] in samples, or None (see event_phones)."""
    out = []
    bounds = [start for _, _, start in events[1:]] + [total_samples]
    for (ipa, mnemonic, start), end in zip(events, bounds):
        phones = event_phones(ipa, mnemonic, variety)
        if phones is None:
            return None
        edges = np.linspace(start, end, len(phones) + 1)
        out.extend((p, edges[k], edges[k + 1]) for k, p in enumerate(phones))
    return out


def words(language):
    """The word list of one language (comment lines start with '#')."""
    lines = (WORDLISTS / f"{language}.txt").read_text(encoding="utf-8").splitlines()
    return [w for line in lines if not line.startswith("#") for w in line.split()]


def jobs(split, per_language, seed):
    """[(utt id, (language, voice, text), seed)]: random phrases spoken by the split's variants
    ('train': TRAIN_VARIANTS, 'heldout': HELD_OUT_VARIANTS), each variety equally often."""
    variants = {"train": TRAIN_VARIANTS, "heldout": HELD_OUT_VARIANTS}[split]
    # Augmentation seeds of their own for the held-out split: its utterance i never repeats training's draws.
    base = {"train": 0, "heldout": 10**9}[split]
    out = []
    for n, (language, varieties) in enumerate(sorted(LANGUAGES.items())):
        rng = random.Random(f"{seed}-{split}-{language}")
        vocab = words(language)
        for i in range(per_language):
            text = " ".join(rng.choice(vocab) for _ in range(rng.randint(2, 7)))
            voice = varieties[i % len(varieties)] + rng.choice(variants)
            out.append((f"{split}-{language}-{i:05d}", (language, voice, text), base + seed * 1000003 + n * 100000 + i))
    return out


def _speak(engine, what, rng):
    language, voice, text = what
    samples, events = engine.synth_ipa(text, voice, *synth.voice_settings(rng))
    intervals = ipa_intervals(events, len(samples), voice.split("+")[0]) if events else None
    return samples, intervals, voice


def make_batch(jobs):
    """jobs() -> [(utt id, features, labels, seconds, voice)]; synth.render_batch's augmentation."""
    return synth.render_batch(jobs, _speak, LABEL_INDEX)


if __name__ == "__main__":  # python3 -m models.recipe.languages OUT.json: the inventory, for train.py --inventory
    import json
    import sys

    Path(sys.argv[1]).write_text(json.dumps(INVENTORY, ensure_ascii=False))
