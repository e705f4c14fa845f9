#pragma once

// The only code that talks to espeak-ng. espeak-ng is a process-wide singleton
// with global state (current voice, synth callback, internal buffers) and is
// not thread-safe, so every function here takes one process-wide mutex for its
// whole duration and initializes the library on first use.

#include <cstdint>
#include <string>
#include <vector>

#include "common/serial_queue.h"

namespace speakai {

// The thread that callers which must not block (the addon) run espeak-backed
// work on. Without it, N concurrent requests would hold N thread-pool threads
// waiting for the mutex, starving unrelated work such as decoding. Started on
// first use, joined at exit.
SerialQueue& EspeakQueue();

struct EspeakLanguage {
  std::string language;  // e.g. "en-us"
  std::string voice;     // e.g. "English (America)"
  std::string voiceId;   // e.g. "gmw/en-US"
  int priority = 0;      // espeak's preference for this voice (lower = preferred)
};

struct EspeakPhonemeEvent {
  std::string ipa;  // empty for pauses
  int64_t sample;   // start, in samples at EspeakAudio::sampleRate from the start of the text
};

struct EspeakAudio {
  std::vector<int16_t> samples;
  int sampleRate = 0;  // espeak-ng's native rate, 22050
  std::vector<EspeakPhonemeEvent> phonemes;
};

// Separator espeak puts between phonemes in EspeakTextToPhonemes output.
constexpr char kEspeakPhonemeSeparator = '_';

std::vector<EspeakLanguage> EspeakLanguages();

// Frees espeak-ng's global state; the next call initializes it again. Only
// for leak checkers at exit: espeak keeps its voice data until then.
void EspeakTerminate();

// For each text: its phonetic words, each as IPA with kEspeakPhonemeSeparator
// between phonemes and stress marks kept, e.g. "h_ə_l_ˈoʊ". Throws
// LANGUAGE_UNSUPPORTED. Batched so a caller pays for one lock/voice switch.
std::vector<std::vector<std::string>> EspeakTextToPhonemes(const std::vector<std::string>& texts,
                                                           const std::string& language);

// rate: words per minute (80..450); pitch: 0..100 (50 = voice default).
// voice: an espeak voice identifier (EspeakLanguage::voiceId) that replaces
// the language's preferred voice, or empty. Throws LANGUAGE_UNSUPPORTED,
// VOICE_UNSUPPORTED, SYNTHESIS_FAILED.
EspeakAudio EspeakSynthesize(const std::string& text, const std::string& language, int rate,
                             int pitch, const std::string& voice = {});

// espeak-ng's version, e.g. "1.51".
std::string EspeakVersion();

}  // namespace speakai
