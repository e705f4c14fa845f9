// What the leak-check drivers (pipeline_driver, analysis_driver) share: they
// print one line per step, so that a valgrind report can be read against the
// steps, and a step that is refused is part of the run, not its end.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/engine_error.h"

namespace speakai::driver {

inline std::vector<uint8_t> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The files of `dir`, sorted, so that every run does the same steps in the same order.
inline std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Runs `step`, printing what it produced or the code it failed with.
template <typename Step>
void Run(const std::string& what, Step step) {
  try {
    std::printf("ok      %s: %s\n", what.c_str(), step().c_str());
  } catch (const EngineError& e) {
    std::printf("refused %s: %s\n", what.c_str(), e.codeName());
  }
}

}  // namespace speakai::driver
