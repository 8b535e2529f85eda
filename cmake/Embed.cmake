# wenku_embed_files(TARGET <lib> NAME <ident> FILES <abs paths...> BASE <dir>)
# Generates a C++ source defining `wenku::embedded::<ident>()`, a sorted list of
# {relative path, contents} for the given files, and adds it to TARGET. Used for SQL
# migrations, page templates and static assets so the binary is self-contained.
set(WENKU_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/embed_generate.cmake")
function(wenku_embed_files)
  cmake_parse_arguments(ARG "" "TARGET;NAME;BASE" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embedded_${ARG_NAME}.cc")
  list(SORT ARG_FILES)
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DNAME=${ARG_NAME} -DBASE=${ARG_BASE} "-DFILES=${files_arg}"
            -DOUT=${out} -P "${WENKU_EMBED_SCRIPT}"
    DEPENDS ${ARG_FILES} "${WENKU_EMBED_SCRIPT}"
    VERBATIM
    COMMENT "Embedding ${ARG_NAME}")
  target_sources(${ARG_TARGET} PRIVATE "${out}")
endfunction()
