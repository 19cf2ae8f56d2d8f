# Connections, endpoints, replies and errors (S48–S111, P1–P3, P6, P9–P11),
# each test run on both executors.
xpctest_add_test(connection_conformance_test SOURCES
  connection_fixture.cc
  connection_errors_test.cc
  connection_lifecycle_test.cc
  connection_messages_test.cc
  connection_peers_test.cc
  connection_stress_test.cc)
