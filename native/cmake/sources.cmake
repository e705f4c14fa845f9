# Reads a named source list from native/sources.gypi (the list binding.gyp
# also uses) and returns absolute paths. Paths are relative to the repository
# root, found from this file so that other projects (native/fuzz) can use it.
get_filename_component(SPEAKAI_REPO_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

function(speakai_read_sources list_name out_var)
  set(gypi "${SPEAKAI_REPO_ROOT}/native/sources.gypi")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${gypi}")
  file(READ "${gypi}" content)
  string(REGEX MATCH "'${list_name}'[ \t\r\n]*:[ \t\r\n]*\\[([^]]*)\\]" block "${content}")
  if(NOT block)
    message(FATAL_ERROR "native/sources.gypi has no list '${list_name}'")
  endif()
  # Drop comments, then collect the quoted paths.
  string(REGEX REPLACE "#[^\n]*" "" body "${CMAKE_MATCH_1}")
  string(REGEX MATCHALL "'[^']+'" quoted "${body}")
  set(paths "")
  foreach(item IN LISTS quoted)
    string(REGEX REPLACE "^'(.*)'$" "\\1" path "${item}")
    list(APPEND paths "${SPEAKAI_REPO_ROOT}/${path}")
  endforeach()
  set(${out_var} "${paths}" PARENT_SCOPE)
endfunction()
