// Full analyses with the real acoustic model, for leak checkers
// (scripts/native/leak-check.sh runs it under valgrind). Each round loads the
// model through its manifest (sha256, ONNX Runtime session), runs Analyze on
// every fixture in FIXTURE_DIR against the words the fixtures say (the
// fixtures that fail to decode included: their exceptions unwind through
// Analyze), then requests refused for their words and one too short for its
// text, and drops the model, so that loading and unloading are checked as
// well as analysing.
//
//   analysis_driver MANIFEST FIXTURE_DIR [ROUNDS=2]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/analyze.h"
#include "driver.h"

using namespace speakai;
using driver::Run;

namespace {

// What the fixtures say (scripts/native/make-audio-fixtures.sh), in the model's CMU phones.
const std::vector<std::string> kSentence = {"DH AH",   "K W IH K", "B R AW N",  "F AA K S", "JH AH M P S",
                                            "OW V ER", "DH AH",    "L EY Z IY", "D AO G"};

std::vector<ExpectedWord> Words(const AcousticModel& model, const std::vector<std::string>& words) {
  const std::vector<std::string>& inventory = model.manifest().inventory;
  std::vector<ExpectedWord> out;
  for (const std::string& word : words) {
    std::vector<int32_t> ids;
    std::istringstream phones(word);
    for (std::string phone; phones >> phone;) {
      ids.push_back(static_cast<int32_t>(std::find(inventory.begin(), inventory.end(), phone) - inventory.begin()));
    }
    out.push_back({{ids}});
  }
  return out;
}

std::string Summary(const Analysis& analysis) {
  double score = 0;
  for (const PhoneGop& phone : analysis.phones) score += phone.score;
  return std::string(AlignStatusName(analysis.status)) + ", " + std::to_string(analysis.phones.size()) +
         " phones, mean score " + std::to_string(analysis.phones.empty() ? 0 : score / analysis.phones.size());
}

void AnalyzeAll(const AcousticModel& model, const std::string& fixtures) {
  const std::vector<ExpectedWord> words = Words(model, kSentence);
  for (const auto& file : driver::FilesIn(fixtures)) {
    Run("analyze " + file.filename().string(), [&] {
      const std::vector<uint8_t> audio = driver::ReadFile(file);
      return Summary(Analyze(model, audio.data(), audio.size(), words, AnalysisOptions{}));
    });
  }
  const std::vector<uint8_t> speech = driver::ReadFile(std::filesystem::path(fixtures) / "wav_s16le.wav");
  std::vector<std::string> tooLong;
  for (int i = 0; i < 8; ++i) tooLong.insert(tooLong.end(), kSentence.begin(), kSentence.end());
  for (const auto& [what, request] : std::vector<std::pair<std::string, std::vector<ExpectedWord>>>{
           {"too much text for the audio", Words(model, tooLong)},
           {"an unknown phone", {{{{static_cast<int32_t>(model.manifest().inventory.size())}}}}},
           {"no words", {}}}) {
    Run("analyze with " + what,
        [&] { return Summary(Analyze(model, speech.data(), speech.size(), request, AnalysisOptions{})); });
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: analysis_driver MANIFEST FIXTURE_DIR [ROUNDS=2]\n");
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows while a slow checker runs
  const int rounds = argc == 4 ? std::atoi(argv[3]) : 2;
  for (int round = 0; round < rounds; ++round) {
    std::printf("round %d\n", round + 1);
    std::shared_ptr<const AcousticModel> model;
    Run("load " + std::string(argv[1]), [&] {
      model = AcousticModel::Load(argv[1]);
      return std::to_string(model->manifest().inventory.size()) + " phones";
    });
    if (!model) return 1;
    AnalyzeAll(*model, argv[2]);
  }
  return 0;
}
