#include "align/utterance_graph.h"

#include <algorithm>
#include <cmath>

#include "common/engine_error.h"

namespace speakai {

namespace {

// A way out of what has been built so far: the state whose outgoing arc
// enters the next part (-1: the utterance start) and that arc's weight.
struct Exit {
  int32_t state;
  double weight;
};

void ConnectExits(DecodingGraph* graph, const std::vector<Exit>& exits, int32_t to, double extraWeight) {
  for (const Exit& exit : exits) {
    const double weight = exit.weight + extraWeight;
    if (exit.state < 0) {
      graph->initialWeight[static_cast<size_t>(to)] = weight;
    } else {
      AddArc(graph, exit.state, to, weight);
    }
  }
}

// The optional silence of one word junction: returns the exits past it,
// either through the silence or around it.
std::vector<Exit> AddOptionalSilence(DecodingGraph* graph, const std::vector<Exit>& exits,
                                     const HmmTopology& topology, const UtteranceGraphOptions& options) {
  const HmmSpan silence = AddPhoneHmm(graph, {options.silencePhone, -1, -1}, topology);
  ConnectExits(graph, exits, silence.first, std::log(options.optionalSilenceProb));
  std::vector<Exit> next;
  for (const Exit& exit : exits) next.push_back({exit.state, exit.weight + std::log1p(-options.optionalSilenceProb)});
  next.push_back({silence.last, topology.ForwardLogProb()});
  return next;
}

std::vector<Exit> AddWord(DecodingGraph* graph, const std::vector<Exit>& exits, const ExpectedWord& word,
                          int32_t wordIndex, const HmmTopology& topology) {
  std::vector<Exit> next;
  for (size_t k = 0; k < word.pronunciations.size(); ++k) {
    const std::vector<int32_t>& phones = word.pronunciations[k];
    int32_t previousLast = -1;
    for (int32_t phone : phones) {
      const HmmSpan span = AddPhoneHmm(graph, {phone, wordIndex, static_cast<int32_t>(k)}, topology);
      if (previousLast < 0) {
        ConnectExits(graph, exits, span.first, 0.0);
      } else {
        AddArc(graph, previousLast, span.first, topology.ForwardLogProb());
      }
      previousLast = span.last;
    }
    next.push_back({previousLast, topology.ForwardLogProb()});
  }
  return next;
}

}  // namespace

void ValidateExpectedWords(const std::vector<ExpectedWord>& words, int32_t numPhones) {
  if (words.empty()) throw EngineError(ErrorCode::kTextEmpty, "no words to align");
  for (const ExpectedWord& word : words) {
    if (word.pronunciations.empty()) {
      throw EngineError(ErrorCode::kInvalidArgument, "a word has no pronunciation");
    }
    for (const std::vector<int32_t>& phones : word.pronunciations) {
      if (phones.empty()) throw EngineError(ErrorCode::kInvalidArgument, "empty pronunciation");
      for (int32_t phone : phones) {
        if (phone < 0 || phone >= numPhones) {
          throw EngineError(ErrorCode::kInvalidArgument, "pronunciation phone id out of range");
        }
      }
    }
  }
}

void ValidateUtteranceGraphOptions(const UtteranceGraphOptions& options, int32_t numPhones) {
  if (options.silencePhone < 0 || options.silencePhone >= numPhones ||
      !(options.optionalSilenceProb > 0.0 && options.optionalSilenceProb < 1.0)) {
    throw EngineError(ErrorCode::kInvalidArgument, "bad silence phone or optional silence probability");
  }
}

DecodingGraph BuildUtteranceGraph(const std::vector<ExpectedWord>& words, const HmmTopology& topology,
                                  const UtteranceGraphOptions& options) {
  DecodingGraph graph;
  std::vector<Exit> exits = {{-1, 0.0}};
  for (size_t w = 0; w < words.size(); ++w) {
    exits = AddOptionalSilence(&graph, exits, topology, options);
    exits = AddWord(&graph, exits, words[w], static_cast<int32_t>(w), topology);
  }
  for (const Exit& exit : AddOptionalSilence(&graph, exits, topology, options)) {
    graph.finalWeight[static_cast<size_t>(exit.state)] = exit.weight;
  }
  return graph;
}

int64_t MinimumFrames(const std::vector<ExpectedWord>& words, const HmmTopology& topology) {
  int64_t phones = 0;
  for (const ExpectedWord& word : words) {
    size_t shortest = SIZE_MAX;
    for (const std::vector<int32_t>& pronunciation : word.pronunciations) {
      shortest = std::min(shortest, pronunciation.size());
    }
    phones += static_cast<int64_t>(shortest);
  }
  return phones * topology.numStates;
}

}  // namespace speakai
