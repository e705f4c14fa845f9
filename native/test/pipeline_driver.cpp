// The whole current pipeline, once, for leak checkers
// (scripts/native/leak-check.sh runs it under valgrind): every fixture in
// DIR is decoded, including the ones that fail (their exceptions unwind
// through half-built libav state), then features, phonemes and synthesis,
// directly and through the espeak thread, and reference audio (emphasis,
// encoding). espeak-ng is terminated at the end so that only real leaks
// remain.
//
//   pipeline_driver FIXTURE_DIR
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "audio/decoder.h"
#include "audio/encoder.h"
#include "common/engine_error.h"
#include "driver.h"
#include "features/fbank.h"
#include "phonemes/emphasis.h"
#include "phonemes/espeak.h"
#include "phonemes/phonemizer.h"
#include "phonemes/synthesizer.h"

using namespace speakai;
using driver::Run;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pipeline_driver FIXTURE_DIR\n");
    return 2;
  }
  for (const std::filesystem::path& file : driver::FilesIn(argv[1])) {
    Run(file.filename().string(), [&] {
      const std::vector<uint8_t> bytes = driver::ReadFile(file);
      const DecodedAudio audio = DecodeAudio(bytes.data(), bytes.size(), DecodeLimits{});
      const Fbank fbank = ComputeFbank(audio.samples.data(), audio.samples.size());
      return std::to_string(fbank.frames) + " frames";
    });
  }
  for (const auto& [text, language] : std::vector<std::pair<std::string, std::string>>{
           {"Hello, world! I have 42 cats.", "en-us"}, {"¿Dónde está el baño?", "es"}, {"hello", "xx-nope"}}) {
    Run("phonemes " + language, [&] { return std::to_string(TextToPhonemes(text, language).size()) + " words"; });
  }
  Run("synthesis", [] {
    const SynthesizedSpeech speech = Synthesize("The quick brown fox jumps over the lazy dog.", {});
    return std::to_string(ComputeFbank(speech.samples.data(), speech.samples.size()).frames) + " frames";
  });
  Run("synthesis on the espeak thread", [] {
    std::promise<size_t> phones;
    EspeakQueue().Post([&] {
      try {
        phones.set_value(Synthesize("uno dos tres", {"es", 175, 50}).phones.size());
      } catch (...) {
        phones.set_exception(std::current_exception());
      }
    });
    return std::to_string(phones.get_future().get()) + " phones";
  });
  // Reference audio: emphasis, then each encoder, and their refusals.
  for (const char* format : {"opus", "mp3", "wav", "ogg"}) {
    Run(std::string("reference audio ") + format, [&] {
      SynthesizedSpeech speech = SynthesizeNative("I think so.", {});
      Emphasize(speech, {"θ"});
      const EncodedAudio encoded =
          EncodeAudio(speech.samples.data(), speech.samples.size(), speech.sampleRate, ParseAudioFormat(format));
      return std::to_string(DecodeAudio(encoded.bytes.data(), encoded.bytes.size(), DecodeLimits{}).samples.size()) +
             " samples";
    });
  }
  Run("emphasis of a phoneme the text lacks", [] {
    SynthesizedSpeech speech = SynthesizeNative("I think so.", {});
    Emphasize(speech, {"ʒ"});
    return std::string("emphasized");
  });
  EspeakTerminate();
  return 0;
}
