# Locates ONNX Runtime for speakai_native. One implementation for both builds:
#   - CMakeLists.txt include()s it and calls speakai_find_onnxruntime();
#   - binding.gyp runs it in script mode:
#       cmake -DSPEAKAI_QUERY=include|library|libdir|libdir-relative -P native/cmake/onnxruntime.cmake
#     (libdir-relative: the library's directory relative to the repository root)
#
# Default: the shared library that onnxruntime-node ships in node_modules and
# the C API headers fetched by scripts/native/fetch-onnxruntime-headers.sh into
# .cache/onnxruntime/include. ONNXRUNTIME_ROOT (CMake variable or environment
# variable) pointing at an official release (include/, lib/) overrides both.

get_filename_component(SPEAKAI_REPO_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

function(_speakai_node_platform out_platform out_arch)
  cmake_host_system_information(RESULT os QUERY OS_NAME)
  cmake_host_system_information(RESULT cpu QUERY OS_PLATFORM)
  if(os STREQUAL "Darwin")
    set(platform darwin)
  elseif(os MATCHES "Windows")
    set(platform win32)
  else()
    set(platform linux)
  endif()
  if(cpu MATCHES "^(x86_64|AMD64|amd64)$")
    set(arch x64)
  elseif(cpu MATCHES "^(aarch64|arm64|ARM64)$")
    set(arch arm64)
  else()
    set(arch "${cpu}")
  endif()
  set(${out_platform} ${platform} PARENT_SCOPE)
  set(${out_arch} ${arch} PARENT_SCOPE)
endfunction()

function(_speakai_first_existing out_var)
  set(found "")
  foreach(pattern IN LISTS ARGN)
    file(GLOB matches "${pattern}")
    list(SORT matches)
    if(matches)
      list(GET matches 0 found)
      break()
    endif()
  endforeach()
  set(${out_var} "${found}" PARENT_SCOPE)
endfunction()

# Sets ONNXRUNTIME_INCLUDE_DIR and ONNXRUNTIME_LIBRARY (a full path: the
# library shipped by onnxruntime-node is named libonnxruntime.so.1 without a
# libonnxruntime.so link, so it cannot be found with find_library).
function(speakai_find_onnxruntime)
  set(root "${ONNXRUNTIME_ROOT}")
  if(NOT root AND DEFINED ENV{ONNXRUNTIME_ROOT})
    set(root "$ENV{ONNXRUNTIME_ROOT}")
  endif()

  if(root)
    _speakai_first_existing(include_dir "${root}/include/onnxruntime" "${root}/include")
    _speakai_first_existing(library
      "${root}/lib/libonnxruntime.so" "${root}/lib/libonnxruntime.so.*"
      "${root}/lib/libonnxruntime.dylib" "${root}/lib/onnxruntime.lib")
  else()
    _speakai_node_platform(platform arch)
    set(bin "${SPEAKAI_REPO_ROOT}/node_modules/onnxruntime-node/bin/napi-v*/${platform}/${arch}")
    set(include_dir "${SPEAKAI_REPO_ROOT}/.cache/onnxruntime/include")
    _speakai_first_existing(library
      "${bin}/libonnxruntime.so.*" "${bin}/libonnxruntime.*.dylib" "${bin}/onnxruntime.lib")
  endif()

  if(NOT EXISTS "${include_dir}/onnxruntime_c_api.h")
    set(include_dir "")
  endif()
  set(ONNXRUNTIME_INCLUDE_DIR "${include_dir}" PARENT_SCOPE)
  set(ONNXRUNTIME_LIBRARY "${library}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE AND DEFINED SPEAKAI_QUERY)
  speakai_find_onnxruntime()
  if(SPEAKAI_QUERY STREQUAL "include")
    set(answer "${ONNXRUNTIME_INCLUDE_DIR}")
  elseif(SPEAKAI_QUERY STREQUAL "library")
    set(answer "${ONNXRUNTIME_LIBRARY}")
  elseif(SPEAKAI_QUERY STREQUAL "libdir")
    get_filename_component(answer "${ONNXRUNTIME_LIBRARY}" DIRECTORY)
  elseif(SPEAKAI_QUERY STREQUAL "libdir-relative" AND ONNXRUNTIME_LIBRARY)
    get_filename_component(libdir "${ONNXRUNTIME_LIBRARY}" DIRECTORY)
    file(RELATIVE_PATH answer "${SPEAKAI_REPO_ROOT}" "${libdir}")
  else()
    message(FATAL_ERROR "SPEAKAI_QUERY must be include, library, libdir or libdir-relative")
  endif()
  if(NOT answer)
    message(FATAL_ERROR "ONNX Runtime ${SPEAKAI_QUERY} not found: run "
      "scripts/native/fetch-onnxruntime-headers.sh and npm install, or set ONNXRUNTIME_ROOT")
  endif()
  # message() writes to stderr; gyp's <!() reads stdout.
  execute_process(COMMAND "${CMAKE_COMMAND}" -E echo "${answer}")
endif()
