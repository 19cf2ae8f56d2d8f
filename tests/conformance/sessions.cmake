# Sessions, listeners, rich errors and peer requirements (S115–S136, P12),
# each test run on both executors; the parser's unit tests run once.
xpctest_add_test(session_conformance_test SOURCES
  connection_fixture.cc
  session_fixture.cc
  session_lifecycle_test.cc
  session_peers_test.cc
  listener_test.cc
  peer_requirement_parser_test.cc
  peer_requirement_connection_test.cc
  peer_requirement_session_test.cc)
# docs/snippets/peer_identity_test.cc (docs/peer-identity.md's example) is
# compiled and run on both executors by tests/docs.
