#include "align/decoding_graph.h"

#include <cmath>

namespace speakai {

namespace {

int32_t AddState(DecodingGraph* graph, int32_t unit) {
  graph->stateUnit.push_back(unit);
  graph->statePhone.push_back(graph->units[static_cast<size_t>(unit)].phone);
  graph->arcs.emplace_back();
  graph->initialWeight.push_back(-INFINITY);
  graph->finalWeight.push_back(-INFINITY);
  return graph->NumStates() - 1;
}

}  // namespace

HmmSpan AddPhoneHmm(DecodingGraph* graph, const PhoneUnit& unit, const HmmTopology& topology) {
  graph->units.push_back(unit);
  const int32_t unitId = static_cast<int32_t>(graph->units.size()) - 1;
  const int32_t first = AddState(graph, unitId);
  int32_t last = first;
  AddArc(graph, first, first, topology.SelfLoopLogProb());
  for (int32_t i = 1; i < topology.numStates; ++i) {
    const int32_t state = AddState(graph, unitId);
    AddArc(graph, last, state, topology.ForwardLogProb());
    AddArc(graph, state, state, topology.SelfLoopLogProb());
    last = state;
  }
  return {first, last};
}

void AddArc(DecodingGraph* graph, int32_t from, int32_t to, double weight) {
  graph->arcs[static_cast<size_t>(from)].push_back({to, weight});
}

}  // namespace speakai
