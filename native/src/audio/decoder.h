#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace speakai {

struct DecodeLimits {
  size_t maxBytes = 10 * 1024 * 1024;
  double maxDurationSec = 30.0;
};

struct DecodedAudio {
  std::vector<float> samples;  // mono, kSampleRate, nominally in [-1, 1]
  double durationMs() const;
};

// Decodes a complete upload held in memory (WebM/Matroska, MP4/M4A, Ogg, MP3,
// FLAC, WAV; any audio codec libav can decode inside those) into 16 kHz mono
// float32. Throws EngineError with AUDIO_* codes; see decoder.cpp for which
// condition maps to which code.
DecodedAudio DecodeAudio(const uint8_t* data, size_t size, const DecodeLimits& limits);

// DecodeAudio's up-front checks (limits valid, size within 1..maxBytes), for
// callers that want to refuse an upload before copying it.
void CheckDecodeInput(size_t size, const DecodeLimits& limits);

}  // namespace speakai
