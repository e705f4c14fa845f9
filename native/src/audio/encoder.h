#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace speakai {

enum class AudioFormat {
  kWav,   // 16-bit PCM WAV at the input rate
  kOpus,  // Ogg/Opus (libopus), 48 kHz, 32 kbit/s
  kMp3,   // MP3 (libmp3lame), the input rate where MP3 has it, 48 kbit/s
};

// "wav", "opus", "mp3"; anything else is INVALID_ARGUMENT.
AudioFormat ParseAudioFormat(const std::string& name);
const char* AudioFormatName(AudioFormat format);
const char* AudioFormatMimeType(AudioFormat format);

struct EncodedAudio {
  std::vector<uint8_t> bytes;  // a complete file
  int sampleRate = 0;          // of the encoded stream
};

// Encodes mono float samples (nominally [-1, 1]; louder ones are clipped by
// the codec) into a complete file in memory. Throws INVALID_ARGUMENT (no
// samples, bad rate, non-finite samples) and ENCODE_FAILED (the codec or
// muxer is missing from this libav build, or fails).
EncodedAudio EncodeAudio(const float* samples, size_t count, int sampleRate, AudioFormat format);

}  // namespace speakai
