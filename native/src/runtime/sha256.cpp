#include "runtime/sha256.h"

extern "C" {
#include <libavutil/mem.h>
#include <libavutil/sha.h>
}

#include <memory>
#include <new>

namespace speakai {

std::string Sha256Hex(const uint8_t* data, size_t size) {
  std::unique_ptr<AVSHA, decltype(&av_free)> sha(av_sha_alloc(), &av_free);
  if (!sha) throw std::bad_alloc();
  av_sha_init(sha.get(), 256);
  av_sha_update(sha.get(), data, size);
  uint8_t digest[32];
  av_sha_final(sha.get(), digest);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const uint8_t byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

}  // namespace speakai
