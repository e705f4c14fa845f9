#pragma once

#include <stdexcept>
#include <string>

namespace speakai {

// Stable, machine-readable failure reasons. The names (ErrorCodeName) are part
// of the JS API: they end up as `error.code`, so never rename one.
enum class ErrorCode {
  kAudioUnsupportedFormat,
  kAudioCorrupt,
  kAudioTooLong,
  kAudioTooLarge,
  kAudioEmpty,
  kAudioNoSpeech,
  kLanguageUnsupported,
  kTextEmpty,
  kTextTooLong,
  kInvalidArgument,
  kEspeakUnavailable,
  kSynthesisFailed,
  kVoiceUnsupported,
  kPhonemeNotInText,
  kEncodeFailed,
  kModelNotFound,
  kModelChecksumMismatch,
  kModelInvalid,
  kModelRunFailed,
  kInternal,
};

const char* ErrorCodeName(ErrorCode code);

class EngineError : public std::runtime_error {
 public:
  EngineError(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}

  ErrorCode code() const { return code_; }
  const char* codeName() const { return ErrorCodeName(code_); }

 private:
  ErrorCode code_;
};

}  // namespace speakai
