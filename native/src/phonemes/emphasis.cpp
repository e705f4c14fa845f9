#include "phonemes/emphasis.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "audio/time_stretch.h"
#include "common/engine_error.h"

namespace speakai {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kRampSec = 0.005;  // short enough to stay inside a phone, long enough not to click
constexpr float kPeakLimit = 0.98f;

[[noreturn]] void Invalid(const std::string& message) { throw EngineError(ErrorCode::kInvalidArgument, message); }

void ValidateOptions(const EmphasisOptions& options) {
  if (!(options.stretch >= 1.0 && options.stretch <= 3.0)) Invalid("emphasis stretch must be between 1 and 3");
  if (!(options.gainDb >= 0.0 && options.gainDb <= 12.0)) Invalid("emphasis gain must be between 0 and 12 dB");
}

std::set<std::string> NormalizeAll(const std::vector<std::string>& phonemes) {
  if (phonemes.size() > kMaxEmphasized) Invalid("at most 16 phonemes can be emphasized");
  std::set<std::string> names;
  for (const std::string& name : phonemes) names.insert(NormalizePhonemeName(name));
  return names;
}

std::string JoinedInventory(const std::vector<TimedPhone>& phones) {
  std::set<std::string> seen;
  std::string out;
  for (const TimedPhone& phone : phones) {
    if (seen.insert(phone.ipa).second) out += (out.empty() ? "" : " ") + phone.ipa;
  }
  return out;
}

void CheckAllPresent(const std::set<std::string>& names, const std::vector<TimedPhone>& phones) {
  std::string missing;
  for (const std::string& name : names) {
    const bool present = std::any_of(phones.begin(), phones.end(), [&](const TimedPhone& p) { return p.ipa == name; });
    if (!present) missing += (missing.empty() ? "/" : ", /") + name + "/";
  }
  if (!missing.empty()) {
    throw EngineError(ErrorCode::kPhonemeNotInText,
                      "the text has no " + missing + " (its phonemes: " + JoinedInventory(phones) + ")");
  }
}

size_t ToSample(double ms, int sampleRate, size_t total) {
  return std::min(total, static_cast<size_t>(std::max(0.0, std::round(ms * sampleRate / 1000.0))));
}

// The chosen phones' sample ranges; neighbouring chosen phones become one span.
std::vector<StretchSpan> SpansOf(const SynthesizedSpeech& speech, const std::set<std::string>& names, double stretch) {
  std::vector<StretchSpan> spans;
  for (const TimedPhone& phone : speech.phones) {
    if (names.count(phone.ipa) == 0) continue;
    const size_t start = ToSample(phone.startMs, speech.sampleRate, speech.samples.size());
    const size_t end = ToSample(phone.endMs, speech.sampleRate, speech.samples.size());
    if (end <= start) continue;
    if (!spans.empty() && spans.back().end >= start) {
      spans.back().end = std::max(spans.back().end, end);
    } else {
      spans.push_back({start, end, 0});
    }
  }
  for (StretchSpan& span : spans) {
    span.outLength = static_cast<size_t>(std::llround(static_cast<double>(span.end - span.start) * stretch));
  }
  return spans;
}

// Raises [start, start + length) by up to `gain`, easing in and out over the
// ramps; the gain is lowered where the span's peak would clip.
void RaiseLevel(std::vector<float>& samples, size_t start, size_t length, double gain, int sampleRate) {
  float peak = 0;
  for (size_t i = start; i < start + length; ++i) peak = std::max(peak, std::fabs(samples[i]));
  if (peak > 0) gain = std::clamp(static_cast<double>(kPeakLimit) / peak, 1.0, gain);
  const size_t ramp = std::max<size_t>(1, std::min(static_cast<size_t>(kRampSec * sampleRate), length / 2));
  for (size_t i = 0; i < length; ++i) {
    const size_t edge = std::min(i, length - 1 - i);
    const double shape = edge >= ramp ? 1.0 : 0.5 - 0.5 * std::cos(kPi * static_cast<double>(edge) / ramp);
    samples[start + i] = static_cast<float>(samples[start + i] * (1.0 + (gain - 1.0) * shape));
  }
}

}  // namespace

std::string NormalizePhonemeName(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    // Stress marks ˈ (U+02C8) and ˌ (U+02CC), 2 bytes each in UTF-8.
    if (name.compare(i, 2, "\xCB\x88") == 0 || name.compare(i, 2, "\xCB\x8C") == 0) {
      i += 2;
      continue;
    }
    const char c = name[i++];
    if (c != '/' && c != '[' && c != ']' && c != ' ' && c != '\t') out += c;
  }
  if (out.empty() || out.size() > 16) Invalid("'" + name + "' is not a phoneme name");
  return out;
}

void Emphasize(SynthesizedSpeech& speech, const std::vector<std::string>& phonemes, const EmphasisOptions& options) {
  ValidateOptions(options);
  const std::set<std::string> names = NormalizeAll(phonemes);
  if (names.empty()) return;
  CheckAllPresent(names, speech.phones);
  const std::vector<StretchSpan> spans = SpansOf(speech, names, options.stretch);
  if (spans.empty()) return;

  const StretchMap map(spans, speech.samples.size());
  speech.samples = StretchSpans(speech.samples, map, speech.sampleRate);
  const double gain = std::pow(10.0, options.gainDb / 20.0);
  for (const StretchSpan& span : spans) {
    const auto start = static_cast<size_t>(std::llround(map.ToOutput(static_cast<double>(span.start))));
    RaiseLevel(speech.samples, start, span.outLength, gain, speech.sampleRate);
  }
  const double msPerSample = 1000.0 / speech.sampleRate;
  for (TimedPhone& phone : speech.phones) {
    const size_t total = map.inputLength();
    phone.startMs = map.ToOutput(static_cast<double>(ToSample(phone.startMs, speech.sampleRate, total))) * msPerSample;
    phone.endMs = map.ToOutput(static_cast<double>(ToSample(phone.endMs, speech.sampleRate, total))) * msPerSample;
  }
}

}  // namespace speakai
