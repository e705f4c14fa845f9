// DecodeAudio on arbitrary bytes: every input must either decode to 16 kHz
// mono samples within the limits or throw EngineError; anything else (a
// sanitizer report, another exception, a hang) is a bug.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "audio/decoder.h"
#include "common/constants.h"
#include "common/engine_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Small limits keep each run fast; they are also limits under test.
  const speakai::DecodeLimits limits{64 * 1024, 2.0};
  try {
    const speakai::DecodedAudio audio = speakai::DecodeAudio(data, size, limits);
    // The duration check allows 0.15 s of codec padding past the limit.
    if (audio.samples.empty() || audio.samples.size() > (2.0 + 0.15) * speakai::kSampleRate + 1) std::abort();
    for (float s : audio.samples) {
      if (!std::isfinite(s)) std::abort();
    }
  } catch (const speakai::EngineError&) {
  }
  return 0;
}
