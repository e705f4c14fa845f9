#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace speakai {

// The whole file; MODEL_NOT_FOUND when it cannot be opened or read (`what`
// names it in the message, e.g. "model manifest").
std::vector<uint8_t> ReadModelFile(const std::string& path, const char* what);

}  // namespace speakai
