#!/usr/bin/env python3
"""NumPy reference of the SpeakAI log-mel filterbank, written from native/FEATURES.md.

It is the seed of the training recipe's feature code, and ctest runs it against the engine:

    fbank_reference.py --engine build-tests/native/test/fbank_dump

feeds a set of signals to the engine's fbank_dump tool and checks every value agrees to 1e-4.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
FRAME_LENGTH = 400
FRAME_SHIFT = 160
FFT_SIZE = 512
NUM_MEL_BINS = 80
LOW_HZ = 20.0
HIGH_HZ = 7600.0
PREEMPHASIS = 0.97
POVEY_POWER = 0.85
WAVEFORM_SCALE = 32768.0
FLT_EPSILON = float(np.finfo(np.float32).eps)
TOLERANCE = 1e-4


def mel(hz):
    return 1127.0 * np.log(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel_banks():
    """(80, 256) Kaldi MelBanks weights over FFT bins 0..255."""
    lo = mel(LOW_HZ)
    delta = (mel(HIGH_HZ) - lo) / (NUM_MEL_BINS + 1)
    m = np.arange(NUM_MEL_BINS, dtype=np.float64)[:, None]
    left, center, right = lo + m * delta, lo + (m + 1) * delta, lo + (m + 2) * delta
    mk = mel(np.arange(FFT_SIZE // 2) * SAMPLE_RATE / FFT_SIZE)[None, :]
    up = (mk - left) / (center - left)
    down = (right - mk) / (right - center)
    return np.maximum(0.0, np.minimum(up, down))


def fbank(samples):
    """samples: 1-D float32 at 16 kHz in [-1, 1] -> (frames, 80) float32."""
    x = np.asarray(samples, dtype=np.float64) * WAVEFORM_SCALE
    if len(x) < FRAME_LENGTH:
        return np.zeros((0, NUM_MEL_BINS), dtype=np.float32)
    frames = 1 + (len(x) - FRAME_LENGTH) // FRAME_SHIFT
    index = np.arange(frames)[:, None] * FRAME_SHIFT + np.arange(FRAME_LENGTH)[None, :]
    w = x[index]
    w = w - w.mean(axis=1, keepdims=True)
    p = np.empty_like(w)
    p[:, 1:] = w[:, 1:] - PREEMPHASIS * w[:, :-1]
    p[:, 0] = w[:, 0] - PREEMPHASIS * w[:, 0]
    n = np.arange(FRAME_LENGTH)
    window = (0.5 - 0.5 * np.cos(2.0 * np.pi * n / (FRAME_LENGTH - 1))) ** POVEY_POWER
    spectrum = np.fft.rfft(p * window, n=FFT_SIZE, axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    energies = power[:, : FFT_SIZE // 2] @ mel_banks().T
    return np.log(np.maximum(energies, FLT_EPSILON)).astype(np.float32)


def test_signals():
    rng = np.random.default_rng(1234)
    t = np.arange(3 * SAMPLE_RATE) / SAMPLE_RATE
    chirp = 0.5 * np.sin(2 * np.pi * (50 * t + (7000 - 50) / (2 * 3.0) * t**2))
    am = 0.3 * np.sin(2 * np.pi * 440 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
    return {
        "noise": rng.uniform(-0.5, 0.5, 16000 + 123),
        "quiet_noise": rng.normal(0, 1e-6, 8000),
        "chirp": chirp,
        "am_tone": am,
        "clipped": np.clip(rng.normal(0, 2.0, 4000), -1, 1),
        "dc": np.full(2000, 0.25),
        "short": rng.uniform(-1, 1, 399),
    }


def engine_fbank(engine, samples, workdir):
    wav = Path(workdir) / "in.f32"
    out = Path(workdir) / "out.f32"
    np.asarray(samples, dtype=np.float32).tofile(wav)
    subprocess.run([engine, str(wav), str(out)], check=True)
    return np.fromfile(out, dtype=np.float32).reshape(-1, NUM_MEL_BINS)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", required=True, help="path to the fbank_dump tool")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as workdir:
        for name, signal in test_signals().items():
            signal = np.asarray(signal, dtype=np.float32)
            expected = fbank(signal)
            actual = engine_fbank(args.engine, signal, workdir)
            if expected.shape != actual.shape:
                print(f"FAIL {name}: shape {actual.shape} != {expected.shape}")
                failed = True
                continue
            worst = float(np.max(np.abs(expected - actual))) if expected.size else 0.0
            ok = worst <= TOLERANCE
            failed |= not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {expected.shape[0]} frames, max |diff| = {worst:.3g}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
