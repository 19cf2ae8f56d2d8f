# libdispatch conformance: every test runs on the threaded executor and on the
# deterministic one (FIFO and seeded), plus deadlock and determinism tests.
xpctest_add_test(dispatch_conformance_test SOURCES
  dispatch_deadlock_test.cc
  dispatch_determinism_test.cc
  dispatch_domain_test.cc
  dispatch_headers_c.c
  dispatch_headers_cxx.cc
  dispatch_headers_test.cc
  dispatch_misuse_test.cc
  dispatch_queue_test.cc
  dispatch_sync_primitives_test.cc
  dispatch_sync_test.cc
  dispatch_time_test.cc
  LIBRARIES fmt::fmt)
