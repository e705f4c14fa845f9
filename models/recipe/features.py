"""SpeakAI 80-dim log-mel filterbank, as defined normatively in native/FEATURES.md.

Written from native/test/fbank_reference.py (checked against the C++ engine to <3e-7); the model's
input must be exactly these features, so this module is the only feature code the recipe uses.
"""
import numpy as np

SAMPLE_RATE = 16000
FRAME_LENGTH = 400  # 25 ms
FRAME_SHIFT = 160  # 10 ms
FFT_SIZE = 512
NUM_MEL_BINS = 80
LOW_HZ = 20.0
HIGH_HZ = 7600.0
PREEMPHASIS = 0.97
POVEY_POWER = 0.85
WAVEFORM_SCALE = 32768.0  # Kaldi's 16-bit integer scale, which sets where the log floor sits
FLT_EPSILON = float(np.finfo(np.float32).eps)

# The parameters as FEATURES.md lists them; copied verbatim into models/manifest.json.
SETTINGS = {
    "definition": "native/FEATURES.md",
    "type": "kaldi-fbank",
    "sample_frequency": SAMPLE_RATE,
    "frame_length_ms": 25,
    "frame_shift_ms": 10,
    "snip_edges": True,
    "dither": 0.0,
    "remove_dc_offset": True,
    "preemphasis_coefficient": PREEMPHASIS,
    "window_type": "povey",
    "fft_size": FFT_SIZE,
    "num_mel_bins": NUM_MEL_BINS,
    "low_freq": LOW_HZ,
    "high_freq": HIGH_HZ,
    "use_energy": False,
    "use_power": True,
    "use_log_fbank": True,
    "log_floor": "FLT_EPSILON",
    "input_scale": WAVEFORM_SCALE,
    "cmvn": "none (global mean/variance normalisation is the model's first layer)",
    "frame_center_ms": "10*t + 12.5",
}


def mel(hz):
    return 1127.0 * np.log(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel_banks():
    """(80, 256) Kaldi MelBanks weights over FFT bins 0..255 (the Nyquist bin is unused)."""
    lo = mel(LOW_HZ)
    delta = (mel(HIGH_HZ) - lo) / (NUM_MEL_BINS + 1)
    m = np.arange(NUM_MEL_BINS, dtype=np.float64)[:, None]
    left, center, right = lo + m * delta, lo + (m + 1) * delta, lo + (m + 2) * delta
    mk = mel(np.arange(FFT_SIZE // 2) * SAMPLE_RATE / FFT_SIZE)[None, :]
    up = (mk - left) / (center - left)
    down = (right - mk) / (right - center)
    return np.maximum(0.0, np.minimum(up, down))


_MEL_BANKS_T = mel_banks().T
_WINDOW = (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(FRAME_LENGTH) / (FRAME_LENGTH - 1))) ** POVEY_POWER


def num_frames(num_samples):
    """snip-edges framing: no padding, so a signal shorter than one window has no frames."""
    return 0 if num_samples < FRAME_LENGTH else 1 + (num_samples - FRAME_LENGTH) // FRAME_SHIFT


def fbank(samples):
    """samples: 1-D float32 at 16 kHz in [-1, 1] -> (frames, 80) float32 log-mel energies."""
    x = np.asarray(samples, dtype=np.float64) * WAVEFORM_SCALE
    frames = num_frames(len(x))
    if frames == 0:
        return np.zeros((0, NUM_MEL_BINS), dtype=np.float32)
    index = np.arange(frames)[:, None] * FRAME_SHIFT + np.arange(FRAME_LENGTH)[None, :]
    w = x[index]
    w = w - w.mean(axis=1, keepdims=True)
    p = np.empty_like(w)
    p[:, 1:] = w[:, 1:] - PREEMPHASIS * w[:, :-1]
    p[:, 0] = w[:, 0] - PREEMPHASIS * w[:, 0]
    spectrum = np.fft.rfft(p * _WINDOW, n=FFT_SIZE, axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    energies = power[:, : FFT_SIZE // 2] @ _MEL_BANKS_T
    return np.log(np.maximum(energies, FLT_EPSILON)).astype(np.float32)


def frame_centers_ms(frames):
    """Centre of each frame in ms (FEATURES.md: frame t covers 10t .. 10t+25 ms)."""
    return np.arange(frames) * 10.0 + 12.5
