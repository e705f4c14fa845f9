// The acoustic-model runtime on the tiny models of
// scripts/native/make-model-fixture.py (argument: the folder it wrote).

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "harness.h"
#include "runtime/acoustic_model.h"
#include "runtime/manifest.h"
#include "runtime/sha256.h"

using namespace speakai;
namespace fs = std::filesystem;

namespace {

constexpr size_t kHidden = 1024;  // HIDDEN in the fixture script
constexpr size_t kPhones = 5;

std::string Fixture(const std::string& variant) { return test::Args().at(0) + "/" + variant + "/manifest.json"; }

std::string ReadText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// The good fixture's manifest with `from` replaced by `to` (which must occur).
std::string EditedManifest(const std::string& from, const std::string& to) {
  std::string text = ReadText(Fixture("good"));
  const size_t at = text.find(from);
  CHECK(at != std::string::npos);
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

// A copy of the good fixture in a folder of its own, for tests that change it.
std::string CopyOfGood(const std::string& name) {
  const fs::path dir = fs::path(test::Args().at(0)) / name;
  fs::create_directories(dir);
  for (const char* file : {"manifest.json", "tiny.onnx"}) {
    fs::copy_file(fs::path(test::Args().at(0)) / "good" / file, dir / file, fs::copy_options::overwrite_existing);
  }
  return (dir / "manifest.json").string();
}

// weight() of the fixture script.
double Weight(int layer, size_t i, size_t j) {
  return static_cast<double>((i * 7 + j * 13 + layer * 5) % 17) / 64.0 - 0.125;
}

// Deterministic, feature-like input: log-mel values in roughly [-16, 16].
std::vector<float> Features(size_t frames) {
  std::vector<float> x(frames * AcousticModel::kFeatureDims);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(16.0 * std::sin(0.37 * static_cast<double>(i)));
  return x;
}

// What the fixture computes: log_softmax(tanh(x W1) W2), in double.
std::vector<double> Reference(const std::vector<float>& x, size_t frames) {
  std::vector<double> out;
  for (size_t t = 0; t < frames; ++t) {
    std::vector<double> hidden(kHidden, 0.0), scores(kPhones, 0.0);
    for (size_t h = 0; h < kHidden; ++h) {
      for (size_t d = 0; d < AcousticModel::kFeatureDims; ++d) hidden[h] += x[t * 80 + d] * Weight(1, d, h);
      hidden[h] = std::tanh(hidden[h]);
    }
    for (size_t p = 0; p < kPhones; ++p) {
      for (size_t h = 0; h < kHidden; ++h) scores[p] += hidden[h] * Weight(2, h, p);
    }
    double sum = 0.0;
    const double top = *std::max_element(scores.begin(), scores.end());
    for (double s : scores) sum += std::exp(s - top);
    for (double s : scores) out.push_back(s - top - std::log(sum));
  }
  return out;
}

}  // namespace

TEST(sha256_matches_known_digests) {
  CHECK(Sha256Hex(nullptr, 0) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string abc = "abc";
  CHECK(Sha256Hex(reinterpret_cast<const uint8_t*>(abc.data()), abc.size()) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(reads_the_manifest) {
  const ModelManifest manifest = ReadManifest(Fixture("good"));
  CHECK(manifest.modelPath == test::Args().at(0) + "/good/tiny.onnx");
  CHECK(manifest.sha256.size() == 64);
  CHECK(manifest.bytes > 0);
  CHECK((manifest.inventory == std::vector<std::string>{"SIL", "AA", "B", "K", "S"}));
  CHECK(manifest.parameters == static_cast<int64_t>(80 * kHidden + kHidden * kPhones));
  CHECK(manifest.featureSettings.find("\"num_mel_bins\":80") != std::string::npos);
}

TEST(rejects_malformed_manifests) {
  const std::string good = ReadText(Fixture("good"));
  const auto parse = [](const std::string& text) { return ParseManifest(text, "/models"); };
  CHECK_ENGINE_ERROR(parse("{\"model\": "), ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(parse("[]"), ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"model\": \"tiny.onnx\"", "\"model\": 3")), ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"model\": \"tiny.onnx\"", "\"model\": \"../x.onnx\"")),
                     ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"sha256\"", "\"sha\"")), ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"sha256\": \"", "\"sha256\": \"zz")), ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"B\"", "\"AA\"")), ErrorCode::kModelInvalid);  // repeated phone
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"B\"", "2")), ErrorCode::kModelInvalid);
  // Features other than the engine's: a model trained on them would score garbage.
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"num_mel_bins\": 80", "\"num_mel_bins\": 40")), ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"preemphasis_coefficient\": 0.97", "\"preemphasis_coefficient\": 0.95")),
                     ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(parse(EditedManifest("\"snip_edges\": true", "\"snip_edges_\": true")), ErrorCode::kModelInvalid);
  // Integers and floats compare by value: the recipe may write 16000.0.
  CHECK(parse(EditedManifest("\"sample_frequency\": 16000", "\"sample_frequency\": 16000.0")).inventory.size() == 5);
  CHECK(parse(good).modelPath == "/models/tiny.onnx");
}

TEST(a_scorer_trained_for_another_acoustic_model_is_refused) {
  const std::string text = ReadText(Fixture("scored"));
  CHECK(ParseManifest(text, "/models").scorer.has_value());
  const std::string key = "\"acoustic_model_sha256\": \"";
  const size_t at = text.find(key);
  CHECK(at != std::string::npos);
  if (at == std::string::npos) return;
  std::string other = text;
  other.replace(at + key.size(), 64, std::string(64, '0'));
  CHECK_ENGINE_ERROR(ParseManifest(other, "/models"), ErrorCode::kModelInvalid);
}

TEST(missing_files_are_model_not_found) {
  CHECK_ENGINE_ERROR(AcousticModel::Load(test::Args().at(0) + "/nowhere/manifest.json"), ErrorCode::kModelNotFound);
  CHECK_ENGINE_ERROR(AcousticModel::Load(test::Args().at(0)), ErrorCode::kModelNotFound);  // a directory
  const std::string manifest = CopyOfGood("no_model");
  fs::remove(fs::path(manifest).parent_path() / "tiny.onnx");
  CHECK_ENGINE_ERROR(AcousticModel::Load(manifest), ErrorCode::kModelNotFound);
}

TEST(a_changed_model_is_a_checksum_mismatch) {
  const std::string manifest = CopyOfGood("tampered");
  const std::string model = (fs::path(manifest).parent_path() / "tiny.onnx").string();
  std::string bytes = ReadText(model);
  bytes[bytes.size() - 10] ^= 1;  // same size: only the hash can tell
  WriteText(model, bytes);
  CHECK_ENGINE_ERROR(AcousticModel::Load(manifest), ErrorCode::kModelChecksumMismatch);
  WriteText(model, bytes + "x");
  CHECK_ENGINE_ERROR(AcousticModel::Load(manifest), ErrorCode::kModelChecksumMismatch);
}

TEST(checks_inputs_and_outputs_against_the_contract) {
  CHECK_ENGINE_ERROR(AcousticModel::Load(Fixture("fixed_time")), ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(AcousticModel::Load(Fixture("wrong_dims")), ErrorCode::kModelInvalid);
  CHECK_ENGINE_ERROR(AcousticModel::Load(Fixture("wrong_output")), ErrorCode::kModelInvalid);
  // A manifest with one phone fewer than the model's outputs.
  const std::string shortInventory = CopyOfGood("short_inventory");
  WriteText(shortInventory, EditedManifest(",\n  \"S\"", ""));
  CHECK_ENGINE_ERROR(AcousticModel::Load(shortInventory), ErrorCode::kModelInvalid);
  // Not an ONNX model at all, with a matching checksum.
  const std::string garbage = "not a model";
  const std::string manifest = CopyOfGood("garbage");
  const ModelManifest good = ReadManifest(manifest);
  WriteText(good.modelPath, garbage);
  std::string text = ReadText(manifest);
  text.replace(text.find(good.sha256), 64, Sha256Hex(reinterpret_cast<const uint8_t*>(garbage.data()), garbage.size()));
  const std::string bytes = "\"bytes\": " + std::to_string(good.bytes);
  text.replace(text.find(bytes), bytes.size(), "\"bytes\": " + std::to_string(garbage.size()));
  WriteText(manifest, text);
  CHECK_ENGINE_ERROR(AcousticModel::Load(manifest), ErrorCode::kModelInvalid);
}

TEST(rejects_bad_options) {
  CHECK_ENGINE_ERROR(AcousticModel::Load(Fixture("good"), {0, Device::kCpu}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(AcousticModel::Load(Fixture("good"), {65, Device::kCpu}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(ParseDevice("gpu"), ErrorCode::kInvalidArgument);
  CHECK(ParseDevice("cuda") == Device::kCuda && ParseDevice("cpu") == Device::kCpu);
}

TEST(runs_the_model) {
  const auto model = AcousticModel::Load(Fixture("good"));
  CHECK(model->device() == Device::kCpu && model->intraOpThreads() == 1);
  const size_t frames = 37;
  const std::vector<float> x = Features(frames);
  const Posteriors out = model->Run(x, frames);
  CHECK(out.frames == frames && out.phones == kPhones && out.data.size() == frames * kPhones);
  const std::vector<double> expected = Reference(x, frames);
  double worst = 0.0;
  for (size_t i = 0; i < expected.size() && i < out.data.size(); ++i) {
    worst = std::max(worst, std::fabs(out.data[i] - expected[i]));
  }
  CHECK_NEAR(worst, 0.0, 1e-4);
  CHECK(model->Run(Features(1), 1).data.size() == kPhones);
}

TEST(rejects_features_of_the_wrong_size) {
  const auto model = AcousticModel::Load(Fixture("good"));
  CHECK_ENGINE_ERROR(model->Run(Features(3), 4), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(model->Run(std::vector<float>(81), 1), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(model->Run({}, 0), ErrorCode::kInvalidArgument);
}

TEST(concurrent_runs_from_four_threads_agree) {
  const auto model = AcousticModel::Load(Fixture("good"), {2, Device::kCpu});
  const size_t frames = 300;
  const std::vector<float> x = Features(frames);
  const std::vector<float> expected = model->Run(x, frames).data;
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        if (model->Run(x, frames).data != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : mismatches) CHECK(count == 0);
}

TEST(cuda_falls_back_to_the_cpu_without_a_usable_gpu) {
  // Without SPEAKAI_CUDA, or without a GPU and ONNX Runtime's CUDA provider,
  // the model must still load, on the CPU (and say so on stderr).
  const auto model = AcousticModel::Load(Fixture("good"), {1, Device::kCuda});
#if !SPEAKAI_CUDA
  CHECK(model->device() == Device::kCpu);
#endif
  CHECK(model->Run(Features(5), 5).frames == 5);
}
