#pragma once

namespace speakai {

// Every waveform that leaves the engine (decoded uploads, synthesized speech)
// and every waveform the features accept is mono float32 at this rate.
constexpr int kSampleRate = 16000;

}  // namespace speakai
