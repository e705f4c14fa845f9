#pragma once

#include <cstddef>
#include <vector>

namespace speakai {

// A span of the input, [start, end) in samples, that should last `outLength`
// samples in the output.
struct StretchSpan {
  size_t start = 0;
  size_t end = 0;
  size_t outLength = 0;
};

// Where an input sample position lands in the output of StretchSpans.
class StretchMap {
 public:
  // `spans` sorted, non-overlapping, inside [0, inputLength], each non-empty.
  StretchMap(std::vector<StretchSpan> spans, size_t inputLength);

  size_t inputLength() const { return inputLength_; }
  size_t outputLength() const { return outputLength_; }
  const std::vector<StretchSpan>& spans() const { return spans_; }

  // Input position -> output position (exact at span edges, linear inside).
  double ToOutput(double input) const;
  // Output position -> input position, the inverse of ToOutput.
  double ToInput(double output) const;
  // True when output range [from, to) overlaps a stretched span's output.
  bool TouchesSpan(double from, double to) const;

 private:
  std::vector<StretchSpan> spans_;
  std::vector<size_t> outStarts_;  // each span's start in the output
  size_t inputLength_;
  size_t outputLength_;
};

// Pitch-preserving time stretch of the given spans only (WSOLA: 20 ms Hann
// windows at 50 % overlap, each stretched frame taken where it best continues
// the previous one, within +-8 ms). Outside the spans the input is copied
// through unchanged, shifted by what the earlier spans added; the seams are
// the windows' own crossfades, so there are no clicks. Throws
// INVALID_ARGUMENT for spans that are unsorted, overlapping or out of range.
std::vector<float> StretchSpans(const std::vector<float>& input, const StretchMap& map, int sampleRate);

}  // namespace speakai
