#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace speakai {

// The learned pronunciation scorer's file (models/recipe/scorer.py), optional:
// without it the engine scores phones with the calibrated GOP mapping.
struct ScorerManifest {
  std::string modelPath;  // "scorer.model", resolved like ModelManifest::modelPath
  std::string sha256;
  int64_t bytes = -1;
  int32_t inputDim = 0;   // "scorer.input_dim": ScorerInputDim(inventory size), checked on load
};

// models/manifest.json, written by models/recipe/export.py next to the model.
// Only what the engine relies on is read; the rest (training data,
// validation metrics, recipe) is documentation.
struct ModelManifest {
  std::string modelPath;               // "model", resolved against the manifest's folder
  std::string sha256;                  // lower-case hex of the model file
  int64_t bytes = -1;                  // the model file's size; -1 when not stated
  std::vector<std::string> inventory;  // phone labels, in output (posterior column) order
  std::string featureSettings;         // the "features" object, as compact JSON
  int64_t parameters = -1;             // "architecture.parameters"; -1 when not stated
  std::optional<ScorerManifest> scorer;
};

// MODEL_INVALID on malformed JSON, a missing or mistyped field, or feature
// settings that differ from the features this engine computes (a model
// trained on other features would score garbage without failing).
ModelManifest ParseManifest(const std::string& json, const std::string& directory);

// MODEL_NOT_FOUND when the file cannot be read, else as ParseManifest.
ModelManifest ReadManifest(const std::string& path);

}  // namespace speakai
