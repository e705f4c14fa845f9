#pragma once

#include <cstddef>

namespace speakai {

// Energy-based "is anyone talking" test, used to reject uploads that decode
// fine but hold only silence or a faint noise floor. It is not a VAD: a loud
// tone passes. Thresholds suit close-talking phone/laptop microphones, where
// speech RMS sits around -35..-15 dBFS and the room floor below -55 dBFS.
struct SpeechActivityCriteria {
  double frameSec = 0.025;
  double hopSec = 0.010;
  double minFrameDbfs = -45.0;  // RMS of the DC-removed frame, re. full scale 1.0
  double minActiveSec = 0.10;   // total, need not be contiguous
};

bool HasSpeechEnergy(const float* samples, size_t count, int sampleRate,
                     const SpeechActivityCriteria& criteria = {});

}  // namespace speakai
