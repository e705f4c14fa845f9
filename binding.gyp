# node-gyp definition of speakai_native, equivalent to the CMake build
# (CMakeLists.txt, used through cmake-js, is the primary one). Sources come
# from native/sources.gypi and ONNX Runtime is located by the same CMake
# script, so the two builds cannot drift apart:
#   scripts/native/fetch-onnxruntime-headers.sh && npx node-gyp rebuild
{
  'includes': ['native/sources.gypi'],
  'variables': {
    'media_packages': 'libavformat libavcodec libswresample libavutil espeak-ng',
  },
  'targets': [
    {
      'target_name': 'speakai_native',
      'sources': [
        '<@(speakai_core_sources)',
        '<@(speakai_runtime_sources)',
        '<@(speakai_addon_sources)',
      ],
      'dependencies': [
        # Also turns on C++ exceptions (NODE_ADDON_API_CPP_EXCEPTIONS).
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
      ],
      'defines': ['NAPI_VERSION=9'],
      'include_dirs': [
        'native/src',
        '<!(cmake -DSPEAKAI_QUERY=include -P native/cmake/onnxruntime.cmake)',
      ],
      'cflags_cc': [
        '-std=c++17', '-O2', '-fvisibility=hidden',
        '<!@(pkg-config --cflags <(media_packages))',
      ],
      'cflags_cc!': ['-std=gnu++17', '-std=gnu++20', '-fno-exceptions', '-O3'],
      'libraries': [
        '<!@(pkg-config --libs <(media_packages))',
        '<!(cmake -DSPEAKAI_QUERY=library -P native/cmake/onnxruntime.cmake)',
      ],
      'ldflags': [
        # Same run-time search path as the CMake build: relative to the addon
        # in build/Release first, then absolute.
        "-Wl,-rpath,'$$ORIGIN/../../<!(cmake -DSPEAKAI_QUERY=libdir-relative -P native/cmake/onnxruntime.cmake)'",
        '-Wl,-rpath,<!(cmake -DSPEAKAI_QUERY=libdir -P native/cmake/onnxruntime.cmake)',
      ],
      'conditions': [
        ['OS=="mac"', {
          'xcode_settings': {
            'GCC_ENABLE_CPP_EXCEPTIONS': 'YES',
            'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
            'OTHER_CPLUSPLUSFLAGS': ['<!@(pkg-config --cflags <(media_packages))'],
          },
        }],
      ],
    },
  ],
}
