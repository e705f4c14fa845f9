#pragma once

#include <cstdint>
#include <vector>

#include "align/decoding_graph.h"
#include "align/hmm_topology.h"

namespace speakai {

// A word of the expected text with its alternative pronunciations, each a
// sequence of phone ids (the acoustic model's output order).
struct ExpectedWord {
  std::vector<std::vector<int32_t>> pronunciations;
};

struct UtteranceGraphOptions {
  int32_t silencePhone = 0;  // SIL is output 0 of our model (models/manifest.json)
  // Probability of taking each optional silence (start, between words, end),
  // as Kaldi's lexicon FST does with --sil-prob 0.5.
  double optionalSilenceProb = 0.5;
};

// Throws TEXT_EMPTY for no words, INVALID_ARGUMENT for a word without a
// pronunciation, an empty pronunciation or a phone id outside [0, numPhones).
void ValidateExpectedWords(const std::vector<ExpectedWord>& words, int32_t numPhones);

// Throws INVALID_ARGUMENT for a silence phone outside [0, numPhones) or a
// silence probability outside (0, 1).
void ValidateUtteranceGraphOptions(const UtteranceGraphOptions& options, int32_t numPhones);

// optional SIL, word 1 (any pronunciation), optional SIL, word 2, ..., optional SIL.
// Pronunciations are equally likely: the acoustics choose.
DecodingGraph BuildUtteranceGraph(const std::vector<ExpectedWord>& words, const HmmTopology& topology,
                                  const UtteranceGraphOptions& options);

// Fewest frames any path through the utterance graph needs.
int64_t MinimumFrames(const std::vector<ExpectedWord>& words, const HmmTopology& topology);

}  // namespace speakai
