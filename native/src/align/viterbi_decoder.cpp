#include "align/viterbi_decoder.h"

#include <algorithm>
#include <cmath>

namespace speakai {

namespace {

// Adds the frame's emissions to the live tokens, then applies the beam.
void EmitAndPrune(const DecodingGraph& graph, const double* emission, double beam, std::vector<double>* tokens) {
  double best = -INFINITY;
  for (size_t s = 0; s < tokens->size(); ++s) {
    double& score = (*tokens)[s];
    if (score == -INFINITY) continue;
    score += emission[graph.statePhone[s]];
    best = std::max(best, score);
  }
  const double cutoff = best - beam;
  for (double& score : *tokens) {
    if (score < cutoff) score = -INFINITY;
  }
}

// Moves every live token of frame t-1 along its arcs into `next`, keeping the
// best predecessor of each state (the Viterbi max) in `backPointers`.
void Propagate(const DecodingGraph& graph, const std::vector<double>& current, std::vector<double>* next,
               int32_t* backPointers) {
  std::fill(next->begin(), next->end(), -INFINITY);
  for (size_t s = 0; s < current.size(); ++s) {
    if (current[s] == -INFINITY) continue;
    for (const GraphArc& arc : graph.arcs[s]) {
      const double candidate = current[s] + arc.weight;
      double& target = (*next)[static_cast<size_t>(arc.to)];
      if (candidate > target) {
        target = candidate;
        backPointers[arc.to] = static_cast<int32_t>(s);
      }
    }
  }
}

}  // namespace

ViterbiPath ViterbiDecode(const DecodingGraph& graph, const EmissionTable& emissions, double beam) {
  ViterbiPath path;
  const int32_t numFrames = emissions.numFrames();
  const size_t numStates = static_cast<size_t>(graph.NumStates());
  if (numFrames == 0 || numStates == 0) return path;

  std::vector<int32_t> backPointers(static_cast<size_t>(numFrames) * numStates, -1);
  std::vector<double> current = graph.initialWeight;
  std::vector<double> next(numStates);
  EmitAndPrune(graph, emissions.Row(0), beam, &current);
  for (int32_t t = 1; t < numFrames; ++t) {
    Propagate(graph, current, &next, backPointers.data() + static_cast<size_t>(t) * numStates);
    EmitAndPrune(graph, emissions.Row(t), beam, &next);
    current.swap(next);
  }

  int32_t bestFinal = -1;
  for (size_t s = 0; s < numStates; ++s) {
    const double score = current[s] + graph.finalWeight[s];
    if (score > path.score) {
      path.score = score;
      bestFinal = static_cast<int32_t>(s);
    }
  }
  if (bestFinal < 0) return path;

  path.reachedFinal = true;
  path.states.resize(static_cast<size_t>(numFrames));
  path.states.back() = bestFinal;
  for (int32_t t = numFrames - 1; t > 0; --t) {
    path.states[static_cast<size_t>(t - 1)] =
        backPointers[static_cast<size_t>(t) * numStates + static_cast<size_t>(path.states[static_cast<size_t>(t)])];
  }
  return path;
}

}  // namespace speakai
