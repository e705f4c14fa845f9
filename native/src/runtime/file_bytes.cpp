#include "runtime/file_bytes.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/engine_error.h"

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

}  // namespace speakai
