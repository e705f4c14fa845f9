"""Cross-check of the engine's log-mel filterbank against the training recipe's (models/recipe/features.py).

The acoustic model is trained on the recipe's features and run on the engine's, so the two must agree; ctest runs

    fbank_reference.py --engine build-tests/native/test/fbank_dump

which feeds a set of signals to the engine's fbank_dump tool and checks every value agrees to 1e-4.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from models.recipe.features import NUM_MEL_BINS, SAMPLE_RATE, fbank  # noqa: E402

TOLERANCE = 1e-4


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
