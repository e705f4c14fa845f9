#include "runtime/manifest.h"

#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "common/constants.h"
#include "common/engine_error.h"
#include "features/fbank.h"
#include "runtime/file_bytes.h"

namespace speakai {
namespace {

using nlohmann::json;

[[noreturn]] void Invalid(const std::string& message) {
  throw EngineError(ErrorCode::kModelInvalid, "model manifest: " + message);
}

// What native/FEATURES.md defines, in the recipe's key names
// (models/recipe/features.py SETTINGS). Every key must be present and equal:
// a renamed key fails loudly instead of being skipped.
const json& EngineFeatureSettings() {
  static const json settings = {
      {"sample_frequency", kSampleRate},
      {"frame_length_ms", fbank::kFrameLength * 1000 / kSampleRate},
      {"frame_shift_ms", fbank::kFrameShift * 1000 / kSampleRate},
      {"fft_size", fbank::kFftSize},
      {"num_mel_bins", fbank::kNumMelBins},
      {"low_freq", fbank::kLowHz},
      {"high_freq", fbank::kHighHz},
      {"preemphasis_coefficient", fbank::kPreemphasis},
      {"input_scale", fbank::kWaveformScale},
      {"window_type", "povey"},
      {"snip_edges", true},
      {"dither", 0},
      {"remove_dc_offset", true},
      {"use_energy", false},
      {"use_power", true},
      {"use_log_fbank", true},
  };
  return settings;
}

void CheckFeatureSettings(const json& settings) {
  if (!settings.is_object()) Invalid("\"features\" must be an object");
  for (const auto& [key, expected] : EngineFeatureSettings().items()) {
    const auto found = settings.find(key);
    if (found == settings.end()) Invalid("features." + key + " is missing");
    // json compares integers and floats by value: 16000 == 16000.0.
    if (*found != expected) {
      Invalid("features." + key + " is " + found->dump() + ", the engine computes " + expected.dump());
    }
  }
}

std::string Sha256Field(const json& manifest) {
  std::string sha = manifest.at("sha256").get<std::string>();
  for (char& c : sha) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos) {
    Invalid("sha256 must be 64 hex digits");
  }
  return sha;
}

std::vector<std::string> InventoryField(const json& manifest) {
  const auto inventory = manifest.at("inventory").get<std::vector<std::string>>();
  if (inventory.empty()) Invalid("inventory is empty");
  std::set<std::string> seen;
  for (const std::string& phone : inventory) {
    if (phone.empty() || !seen.insert(phone).second) Invalid("inventory has an empty or repeated phone");
  }
  return inventory;
}

std::string ModelPathField(const json& manifest, const std::string& directory) {
  const std::string name = manifest.at("model").get<std::string>();
  // A file name next to the manifest, as export.py writes it: the manifest
  // must not point anywhere else on disk.
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    Invalid("model must be a file name in the manifest's folder, got \"" + name + "\"");
  }
  return (std::filesystem::path(directory) / name).string();
}

int64_t OptionalCount(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end()) return -1;
  const auto value = found->get<int64_t>();
  if (value < 0) Invalid(std::string(key) + " is negative");
  return value;
}

// The scorer learned from the rows one acoustic model produces; another model's
// rows mean other numbers, and its scores would be wrong without any error.
std::optional<ScorerManifest> ScorerField(const json& manifest, const std::string& directory,
                                          const std::string& modelSha256) {
  const auto found = manifest.find("scorer");
  if (found == manifest.end()) return std::nullopt;
  if (!found->is_object()) Invalid("\"scorer\" must be an object");
  if (found->at("acoustic_model_sha256").get<std::string>() != modelSha256) {
    Invalid("the scorer was trained for another acoustic model (scorer.acoustic_model_sha256 differs from sha256)");
  }
  ScorerManifest scorer;
  scorer.modelPath = ModelPathField(*found, directory);
  scorer.sha256 = Sha256Field(*found);
  scorer.bytes = OptionalCount(*found, "bytes");
  scorer.inputDim = found->at("input_dim").get<int32_t>();
  return scorer;
}

}  // namespace

ModelManifest ParseManifest(const std::string& text, const std::string& directory) {
  try {
    const json manifest = json::parse(text);
    if (!manifest.is_object()) Invalid("not a JSON object");
    ModelManifest result;
    result.modelPath = ModelPathField(manifest, directory);
    result.sha256 = Sha256Field(manifest);
    result.bytes = OptionalCount(manifest, "bytes");
    result.inventory = InventoryField(manifest);
    CheckFeatureSettings(manifest.at("features"));
    result.featureSettings = manifest.at("features").dump();
    const auto architecture = manifest.find("architecture");
    if (architecture != manifest.end() && architecture->is_object()) {
      result.parameters = OptionalCount(*architecture, "parameters");
    }
    result.scorer = ScorerField(manifest, directory, result.sha256);
    return result;
  } catch (const json::exception& e) {
    // Parse errors, missing keys (at) and wrong types (get) alike.
    Invalid(e.what());
  }
}

ModelManifest ReadManifest(const std::string& path) {
  const std::vector<uint8_t> bytes = ReadModelFile(path, "model manifest");
  const std::string directory = std::filesystem::path(path).parent_path().string();
  return ParseManifest(std::string(bytes.begin(), bytes.end()), directory.empty() ? "." : directory);
}

}  // namespace speakai
