#include "runtime/file_bytes.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/engine_error.h"
#include "runtime/sha256.h"

namespace speakai {

std::vector<uint8_t> ReadModelFile(const std::string& path, const char* what) {
  std::error_code error;
  // A directory opens as a stream on Linux and then reads as empty.
  const bool regular = std::filesystem::is_regular_file(path, error);
  std::ifstream file;
  if (regular) file.open(path, std::ios::binary);
  if (!regular || !file) throw EngineError(ErrorCode::kModelNotFound, std::string(what) + " not found: " + path);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) throw EngineError(ErrorCode::kModelNotFound, std::string(what) + " unreadable: " + path);
  return bytes;
}

std::vector<uint8_t> ReadVerifiedModelFile(const std::string& path, const std::string& sha256, int64_t bytes) {
  std::vector<uint8_t> content = ReadModelFile(path, "model");
  if (bytes >= 0 && static_cast<uint64_t>(bytes) != content.size()) {
    throw EngineError(ErrorCode::kModelChecksumMismatch, "model " + path + " has " + std::to_string(content.size()) +
                                                             " bytes, the manifest says " + std::to_string(bytes));
  }
  const std::string actual = Sha256Hex(content.data(), content.size());
  if (actual != sha256) {
    throw EngineError(ErrorCode::kModelChecksumMismatch,
                      "model " + path + " has sha256 " + actual + ", the manifest says " + sha256);
  }
  return content;
}

}  // namespace speakai
