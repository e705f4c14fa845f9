#pragma once

namespace speakai {

// Process-wide libav settings, applied once before the engine's first libav
// call (decoding or encoding): quiet logging and an allocation cap.
void ConfigureLibav();

}  // namespace speakai
