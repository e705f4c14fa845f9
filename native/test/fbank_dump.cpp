// fbank_dump IN.f32 OUT.f32: raw float32 16 kHz samples in, raw float32
// frames x 80 features out. Lets other implementations (fbank_reference.py,
// the training recipe) compare against the engine bit for bit.

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "features/fbank.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s IN.f32 OUT.f32\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
  std::vector<float> samples(bytes.size() / sizeof(float));
  std::copy(bytes.begin(), bytes.begin() + samples.size() * sizeof(float),
            reinterpret_cast<char*>(samples.data()));

  const speakai::Fbank fbank = speakai::ComputeFbank(samples.data(), samples.size());
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char*>(fbank.data.data()),
            static_cast<std::streamsize>(fbank.data.size() * sizeof(float)));
  return out ? 0 : 1;
}
