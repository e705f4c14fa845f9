#pragma once

#include <napi.h>

#include <cstddef>
#include <memory>

#include "runtime/acoustic_model.h"

namespace speakai::addon {

using ModelPtr = std::shared_ptr<const AcousticModel>;

// The model behind a loadModel handle (runtime_exports.cpp); INVALID_ARGUMENT
// for anything else. Copy the pointer into a worker to keep the model alive.
const ModelPtr& ModelArg(const Napi::CallbackInfo& info, size_t index);

}  // namespace speakai::addon
