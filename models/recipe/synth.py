"""Synthetic training speech with exact phone timings, from espeak-ng.

espeak-ng's CLI only writes phone timings (--pho) for MBROLA voices, which Debian does not ship, so
this drives libespeak-ng through ctypes with phoneme events enabled: each event carries the phoneme
mnemonic and the output sample at which it starts. Mnemonics map to CMU phones through ESPEAK_TO_CMU.
Each utterance gets a random voice variant, speed, pitch, word gap, gain and noise, then an Opus round
trip through ffmpeg (the format the app records in), then features.fbank. Texts come from the train
split only: its sentences and random phrases of its vocabulary.
"""
import ctypes
import random
import subprocess

import numpy as np

from . import data, features

# espeak-ng en mnemonics -> CMU phones. Diphthong+schwa / r-coloured mnemonics become two phones and
# share the duration equally. None: a marker without its own sound (';' palatalises the previous phone).
ESPEAK_TO_CMU = {
    "a": ["AE"], "a#": ["AH"], "aa": ["AE"], "A:": ["AA"], "A@": ["AA", "R"], "0": ["AA"],
    "O:": ["AO"], "O2": ["AO"], "O@": ["AO", "R"], "o@": ["AO", "R"], "oU": ["OW"], "OI": ["OY"],
    "aI": ["AY"], "aI3": ["AY", "ER"], "aI@": ["AY", "AH"], "aU": ["AW"], "eI": ["EY"],
    "e@": ["EH", "R"], "E": ["EH"], "E2": ["EH"], "i": ["IY"], "i:": ["IY"], "i@": ["IY", "AH"],
    "i@3": ["IH", "R"], "I": ["IH"], "I#": ["IH"], "I2": ["IH"], "U": ["UH"], "u:": ["UW"],
    "U@": ["UH", "R"], "V": ["AH"], "3": ["ER"], "3:": ["ER"], "@": ["AH"], "@2": ["AH"],
    "@5": ["AH"], "@-": ["AH"], "@L": ["AH", "L"], "n-": ["AH", "N"], "r-": ["R"],
    "b": ["B"], "d": ["D"], "D": ["DH"], "f": ["F"], "g": ["G"], "h": ["HH"], "j": ["Y"], "k": ["K"],
    "l": ["L"], "m": ["M"], "n": ["N"], "N": ["NG"], "p": ["P"], "r": ["R"], "s": ["S"], "S": ["SH"],
    "t": ["T"], "t#": ["T"], "t2": ["T"], "?": ["T"], "T": ["TH"], "v": ["V"], "w": ["W"], "z": ["Z"],
    "Z": ["ZH"], "tS": ["CH"], "dZ": ["JH"], ";": None,
}
# Non-rhotic (British) voices use the same mnemonics without the r colouring.
NON_RHOTIC = {
    "3": ["AH"], "A@": ["AA"], "O@": ["AO"], "o@": ["AO"], "e@": ["EH"], "i@3": ["IH", "AH"],
    "U@": ["UH", "AH"], "aa": ["AA"],
}
# (voice name for espeak_SetVoiceByName, rhotic); mostly American, as the canonical phones are.
VOICES = [
    ("en-us", True), ("en-us+m3", True), ("en-us+m7", True), ("en-us+f2", True), ("en-us+f3", True),
    ("en-us+f4", True), ("en-us+klatt", True), ("en-us+klatt4", True), ("en", False), ("en+f3", False),
]

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_PHONEME_EVENTS = 1
_INITIALIZE_PHONEME_IPA = 2  # espeakINITIALIZE_PHONEME_IPA: phoneme events named in IPA (speak_lib.h)
_EVENT_PHONEME = 7
_RATE, _PITCH, _RANGE, _WORDGAP = 1, 3, 4, 7  # espeak_PARAMETER values


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):  # espeak_EVENT from speak_lib.h
    _fields_ = [
        ("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
        ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p), ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


class Espeak:
    """One libespeak-ng instance (the library is process-global: one per worker process)."""

    def __init__(self):
        self.lib = ctypes.CDLL("libespeak-ng.so.1")
        self._callback = _CALLBACK(self._on_synth)  # keep a reference: the library holds only a pointer
        self._initialize(_INITIALIZE_PHONEME_EVENTS)
        self._chunks, self._events = [], []

    def _initialize(self, options):
        """(Re)initialises the library; events are named by mnemonic, or in IPA with _INITIALIZE_PHONEME_IPA."""
        self.rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, options)
        if self.rate <= 0:
            raise RuntimeError("espeak_Initialize failed")
        self.lib.espeak_SetSynthCallback(self._callback)

    def _on_synth(self, wav, count, events):
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, (count,)).copy())
        i = 0
        while events[i].type != 0:  # the list ends with espeakEVENT_LIST_TERMINATED
            if events[i].type == _EVENT_PHONEME:
                # Up to 8 bytes, unterminated when full: a longer IPA name ends in a cut character (U+FFFD).
                self._events.append((events[i].id.string.decode(errors="replace"), events[i].sample))
            i += 1
        return 0

    def synth(self, text, voice, rate, pitch, pitch_range, word_gap):
        """-> (int16 samples at self.rate, [(mnemonic, start sample)])."""
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise RuntimeError(f"unknown espeak voice {voice}")
        for parameter, value in ((_RATE, rate), (_PITCH, pitch), (_RANGE, pitch_range), (_WORDGAP, word_gap)):
            self.lib.espeak_SetParameter(parameter, int(value), 0)
        self._chunks, self._events = [], []
        encoded = text.encode()
        self.lib.espeak_Synth(encoded, len(encoded) + 1, 0, 0, 0, 0, None, None)
        self.lib.espeak_Synchronize()
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return samples, self._events

    def synth_ipa(self, text, voice, rate, pitch, pitch_range, word_gap):
        """-> (samples, [(IPA name, mnemonic, start sample)]), or (samples, None) when the passes disagree.

        IPA names leave pauses and markers alike empty; the mnemonics tell them apart ('_' starts a pause).
        So the text is spoken twice, by mnemonic then in IPA, and the events are paired in order; the
        samples and timings are the IPA pass's (the passes' timings differ by a few samples).
        """
        self._initialize(_INITIALIZE_PHONEME_EVENTS)
        _, named = self.synth(text, voice, rate, pitch, pitch_range, word_gap)
        self._initialize(_INITIALIZE_PHONEME_EVENTS | _INITIALIZE_PHONEME_IPA)
        samples, ipa = self.synth(text, voice, rate, pitch, pitch_range, word_gap)
        if len(named) != len(ipa):
            return samples, None
        return samples, [(name, mnemonic, start) for (name, start), (mnemonic, _) in zip(ipa, named)]


def phone_intervals(events, total_samples, rhotic):
    """[(mnemonic, start)] -> [(CMU phone, start, end)] in samples; None for an unmapped mnemonic."""
    out = []
    bounds = [s for _, s in events[1:]] + [total_samples]
    for (name, start), end in zip(events, bounds):
        if name.startswith("_"):
            phones = ["SIL"]
        else:
            phones = (NON_RHOTIC.get(name) if not rhotic else None) or ESPEAK_TO_CMU.get(name, "unknown")
        if phones == "unknown":
            return None
        if phones is None:  # marker: extend the previous phone
            if out:
                out[-1] = (out[-1][0], out[-1][1], end)
            continue
        edges = np.linspace(start, end, len(phones) + 1)
        out.extend((p, edges[k], edges[k + 1]) for k, p in enumerate(phones))
    return out


def opus_round_trip(signals, rate):
    """float32 signals at `rate` -> Opus 32 kbit/s -> float32 at 16 kHz (as the corpus was encoded).

    One ffmpeg pair per batch (process start-up dominates otherwise): the signals are concatenated and
    cut apart again. Each signal's length must be a multiple of rate/50 samples so that its boundaries
    fall on whole 16 kHz samples; the codec and resampler keep the timeline (measured lag: 0 samples).
    """
    pcm = np.clip(np.concatenate(signals) * 32767, -32768, 32767).astype("<i2").tobytes()
    enc = ["ffmpeg", "-nostdin", "-v", "error", "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "-",
           "-ar", str(features.SAMPLE_RATE), "-c:a", "libopus", "-b:a", "32k", "-f", "ogg", "-"]
    ogg = subprocess.run(enc, input=pcm, check=True, capture_output=True).stdout
    dec = ["ffmpeg", "-nostdin", "-v", "error", "-i", "-", "-f", "f32le", "-ac", "1",
           "-ar", str(features.SAMPLE_RATE), "-"]
    audio = np.frombuffer(subprocess.run(dec, input=ogg, check=True, capture_output=True).stdout, np.float32)
    bounds = np.cumsum([0] + [len(x) * features.SAMPLE_RATE // rate for x in signals])
    audio = np.pad(audio, (0, max(0, bounds[-1] - len(audio))))
    return [audio[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def frame_labels(intervals, rate, frames, index=None):
    """Label of each 10 ms frame = phone covering the frame centre (10t + 12.5 ms); `index`: phone -> id
    (default: the English inventory)."""
    index = index or data.PHONE_INDEX
    centers = features.frame_centers_ms(frames) / 1000.0 * rate
    ends = np.array([e for _, _, e in intervals])
    ids = np.array([index[p] for p, _, _ in intervals])
    return ids[np.minimum(np.searchsorted(ends, centers, side="right"), len(ids) - 1)]


_engine = None


def _speak_english(engine, text, rng):
    voice, rhotic = rng.choice(VOICES)
    samples, events = engine.synth(text.lower(), voice, *voice_settings(rng))
    return samples, phone_intervals(events, len(samples), rhotic), voice


def voice_settings(rng):
    """Random (rate wpm, pitch, pitch range, word gap) for one utterance. espeak's default is 175 wpm;
    learners are slower, so the rate centres lower and varies by 0.9-1.1 around it."""
    return 160 * rng.uniform(0.9, 1.1), rng.uniform(25, 75), rng.uniform(30, 80), rng.choice([0, 0, 1, 2, 4])


def make_batch(jobs):
    """[(utt id, text, seed)] -> [(utt id, features, labels, seconds, voice)], leaving out utterances
    with an unmapped espeak phoneme."""
    return render_batch(jobs, _speak_english)


def render_batch(jobs, speak, index=None):
    """[(utt id, what, seed)] -> [(utt id, features, labels, seconds, voice)]. speak(engine, what, rng) ->
    (int16 samples, [(phone, start, end)] or None to leave the utterance out, voice); then the same gain,
    noise and Opus round trip for every language; `index` as for frame_labels."""
    global _engine
    if _engine is None:
        _engine = Espeak()
    block = _engine.rate // 50  # 20 ms: a whole number of samples at both 22050 and 16000 Hz
    kept, signals = [], []
    for utt, what, seed in jobs:
        rng = random.Random(seed)
        samples, intervals, voice = speak(_engine, what, rng)
        if not intervals or len(samples) < _engine.rate // 4:
            continue
        x = samples.astype(np.float32) / 32768.0 * rng.uniform(0.2, 1.0)
        x = np.pad(x, (0, -len(x) % block))  # the padding is silence, and the last interval is SIL
        noise_rms = np.sqrt(np.mean(x**2)) * 10 ** (-rng.uniform(10, 40) / 20)
        signals.append(x + np.random.default_rng(seed).normal(0, noise_rms, len(x)).astype(np.float32))
        kept.append((utt, intervals, voice))
    out = []
    for (utt, intervals, voice), audio in zip(kept, opus_round_trip(signals, _engine.rate) if signals else []):
        f = features.fbank(audio)
        labels = frame_labels(intervals, _engine.rate, len(f), index)
        out.append((utt, f, labels, len(audio) / features.SAMPLE_RATE, voice))
    return out


def texts_for_synthesis(utts, phrases, seed):
    """Train sentences plus `phrases` random 2-6 word phrases of the train vocabulary."""
    rng = random.Random(seed)
    sentences = sorted({u["text"] for u in utts.values()})
    vocab = sorted({w for s in sentences for w in s.split()})
    return sentences + [" ".join(rng.choice(vocab) for _ in range(rng.randint(2, 6))) for _ in range(phrases)]
