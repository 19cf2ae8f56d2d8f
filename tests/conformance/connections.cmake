# Connections, endpoints, replies and errors (S48–S111, P1–P3, P6, P9–P11),
# each test run on both executors.
xpctest_add_test(connection_conformance_test SOURCES
  connection_fixture.cc
  objects_test_support.cc
  connection_errors_test.cc
  connection_lifecycle_test.cc
  connection_messages_test.cc
  connection_misuse_test.cc
  connection_peers_test.cc
  connection_rules_test.cc
  connection_send_path_test.cc
  connection_teardown_test.cc
  service_runtime_test.cc)
# 100 clients x 1,000 requests on real threads: minutes under sanitizers on
# two busy cores, so it gets its own binary and time limit.
xpctest_add_test(connection_stress_test TIMEOUT 900 SOURCES
  connection_fixture.cc
  connection_stress_test.cc)
