#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace speakai {

// The whole file; MODEL_NOT_FOUND when it cannot be opened or read (`what`
// names it in the message, e.g. "model manifest").
std::vector<uint8_t> ReadModelFile(const std::string& path, const char* what);

// The model file checked against its manifest entry: `bytes` (when >= 0) and
// `sha256`, else MODEL_CHECKSUM_MISMATCH. Sessions are built from the returned
// bytes, so what was hashed is what runs.
std::vector<uint8_t> ReadVerifiedModelFile(const std::string& path, const std::string& sha256, int64_t bytes);

}  // namespace speakai
