#include "harness.h"

#include <cstdio>
#include <exception>

namespace speakai::test {

namespace {
int g_failures = 0;
std::vector<std::string> g_args;
}  // namespace

std::vector<TestCase>& Registry() {
  static std::vector<TestCase> registry;
  return registry;
}

const std::vector<std::string>& Args() { return g_args; }

void RecordFailure(const char* file, int line, const std::string& message) {
  ++g_failures;
  std::fprintf(stderr, "  FAILED %s:%d: %s\n", file, line, message.c_str());
}

}  // namespace speakai::test

int main(int argc, char** argv) {
  using namespace speakai::test;
  for (int i = 1; i < argc; ++i) g_args.emplace_back(argv[i]);
  int failedTests = 0;
  for (const TestCase& test : Registry()) {
    const int before = g_failures;
    try {
      test.body();
    } catch (const std::exception& e) {
      RecordFailure(__FILE__, __LINE__, std::string("uncaught exception: ") + e.what());
    }
    const bool ok = g_failures == before;
    if (!ok) ++failedTests;
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", test.name);
  }
  std::printf("%zu tests, %d failed\n", Registry().size(), failedTests);
  return failedTests == 0 ? 0 : 1;
}
