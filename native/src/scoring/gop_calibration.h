#pragma once

namespace speakai {

// Maps a phone's LPR (<= 0 nats per frame) to 0..100, until a scorer trained
// on the GOP features replaces it:
//   score = 100 * sigmoid(slope * (LPR - midpoint)) / sigmoid(-slope * midpoint)
// The normalisation makes LPR = 0 (the canonical phone is the best phone on
// every frame) exactly 100; the score falls monotonically towards 0. Defaults
// are set by reasoning, not fitted to data: at LPR = -2 the canonical phone is
// on average 7.4x less likely than the best one, a coin flip (~51); LPR = -1
// gives ~90, LPR = -3 ~12, LPR = -4 ~2.
struct GopCalibration {
  double midpoint = -2.0;
  double slope = 2.0;  // must be > 0 to keep the map increasing
};

// Clamped to [0, 100]. Throws INVALID_ARGUMENT for a non-positive slope.
double GopScore(double lpr, const GopCalibration& calibration);

}  // namespace speakai
