#include "scoring/phone_edits.h"

#include <algorithm>

namespace speakai {

namespace {

template <typename Keep>
std::vector<int32_t> Select(const std::vector<PhoneSegment>& segments, Keep keep) {
  std::vector<int32_t> indices;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (keep(segments[i])) indices.push_back(static_cast<int32_t>(i));
  }
  return indices;
}

// cost[i][j]: edit distance between the first i expected and first j recognized phones.
std::vector<std::vector<int32_t>> EditCosts(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  std::vector<std::vector<int32_t>> cost(a.size() + 1, std::vector<int32_t>(b.size() + 1, 0));
  for (size_t i = 0; i <= a.size(); ++i) cost[i][0] = static_cast<int32_t>(i);
  for (size_t j = 0; j <= b.size(); ++j) cost[0][j] = static_cast<int32_t>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const int32_t diagonal = cost[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cost[i][j] = std::min({diagonal, cost[i - 1][j] + 1, cost[i][j - 1] + 1});
    }
  }
  return cost;
}

}  // namespace

std::vector<PhoneEdit> ComparePhones(const std::vector<PhoneSegment>& expected,
                                     const std::vector<PhoneSegment>& recognized, int32_t silencePhone) {
  const std::vector<int32_t> e = Select(expected, [](const PhoneSegment& s) { return s.word >= 0; });
  const std::vector<int32_t> r =
      Select(recognized, [silencePhone](const PhoneSegment& s) { return s.phone != silencePhone; });
  std::vector<int32_t> a, b;
  for (int32_t i : e) a.push_back(expected[static_cast<size_t>(i)].phone);
  for (int32_t j : r) b.push_back(recognized[static_cast<size_t>(j)].phone);
  const std::vector<std::vector<int32_t>> cost = EditCosts(a, b);

  // Trace back from the end, then reverse.
  std::vector<PhoneEdit> edits;
  size_t i = a.size(), j = b.size();
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost[i][j] == cost[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)) {
      const PhoneEditKind kind = a[i - 1] == b[j - 1] ? PhoneEditKind::kMatch : PhoneEditKind::kSubstitution;
      edits.push_back({kind, e[i - 1], r[j - 1]});
      --i, --j;
    } else if (i > 0 && cost[i][j] == cost[i - 1][j] + 1) {
      edits.push_back({PhoneEditKind::kDeletion, e[i - 1], -1});
      --i;
    } else {
      edits.push_back({PhoneEditKind::kInsertion, -1, r[j - 1]});
      --j;
    }
  }
  std::reverse(edits.begin(), edits.end());
  return edits;
}

}  // namespace speakai
