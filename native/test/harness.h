#pragma once

// A deliberately tiny test harness: TEST() registers a function, CHECK*
// macros record failures without aborting the test, main() (harness.cpp) runs
// everything and returns non-zero on any failure so ctest reports it.

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "common/engine_error.h"

namespace speakai::test {

struct TestCase {
  const char* name;
  std::function<void()> body;
};

std::vector<TestCase>& Registry();
void RecordFailure(const char* file, int line, const std::string& message);
// Command-line arguments after the program name (e.g. a fixture directory).
const std::vector<std::string>& Args();

struct Registrar {
  Registrar(const char* name, std::function<void()> body) {
    Registry().push_back({name, std::move(body)});
  }
};

}  // namespace speakai::test

#define SPEAKAI_CONCAT2(a, b) a##b
#define SPEAKAI_CONCAT(a, b) SPEAKAI_CONCAT2(a, b)

#define TEST(name)                                                                   \
  static void SPEAKAI_CONCAT(test_, name)();                                         \
  static ::speakai::test::Registrar SPEAKAI_CONCAT(registrar_, name)(#name,          \
                                                                    &SPEAKAI_CONCAT(test_, name)); \
  static void SPEAKAI_CONCAT(test_, name)()

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) ::speakai::test::RecordFailure(__FILE__, __LINE__, "CHECK(" #cond ")"); \
  } while (0)

#define CHECK_NEAR(actual, expected, tolerance)                                        \
  do {                                                                                 \
    const double a_ = (actual), e_ = (expected), t_ = (tolerance);                     \
    if (!(std::fabs(a_ - e_) <= t_)) {                                                 \
      std::ostringstream os_;                                                          \
      os_ << #actual << " = " << a_ << ", expected " << e_ << " +- " << t_;            \
      ::speakai::test::RecordFailure(__FILE__, __LINE__, os_.str());                   \
    }                                                                                  \
  } while (0)

// Runs `expr` and checks it throws EngineError with the given ErrorCode.
#define CHECK_ENGINE_ERROR(expr, expected_code)                                        \
  do {                                                                                 \
    std::string got_ = "no exception";                                                 \
    try {                                                                              \
      (void)(expr);                                                                    \
    } catch (const ::speakai::EngineError& e_) {                                       \
      if (e_.code() == (expected_code)) break;                                         \
      got_ = std::string(e_.codeName()) + ": " + e_.what();                            \
    } catch (const std::exception& e_) {                                               \
      got_ = std::string("std::exception: ") + e_.what();                              \
    }                                                                                  \
    ::speakai::test::RecordFailure(__FILE__, __LINE__,                                 \
                                   std::string(#expr " should throw ") +               \
                                       ::speakai::ErrorCodeName(expected_code) +       \
                                       ", got " + got_);                               \
  } while (0)
