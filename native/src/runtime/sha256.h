#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace speakai {

// Lower-case hex SHA-256 of a buffer (libavutil's implementation, which the
// core already links for decoding).
std::string Sha256Hex(const uint8_t* data, size_t size);

}  // namespace speakai
