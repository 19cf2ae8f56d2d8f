# Conformance of the XPC object model (fakes/objects): S1–S52, S106–S110,
# S137–S140, P4–P6. One executable; files split by area.
xpctest_add_test(objects_conformance_test SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/objects_test_support.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_scalars_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_strings_data_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_fd_shmem_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_arrays_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_dictionaries_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_copy_equal_hash_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_descriptions_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_errors_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_misuse_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_nesting_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_c_api_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/objects_c_api.c)
