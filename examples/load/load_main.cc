// hash_load: the hashing service under load, from the command line.
//
//   hash_load --clients=16 --requests=1000 --in_flight=4 --executor=threaded
#include <string>

#include "xpctest/load.h"

extern "C" {
#include "hash_service.h"
}

int main(int argc, char** argv) {
  return xpctest::RunLoadMain(argc, argv, hash_handle_peer, [](int client, int request) {
    std::string bytes = "client " + std::to_string(client) + " request " + std::to_string(request);
    return xpctest::Object(xpctest::Dict{{"data", xpctest::Data(bytes)}, {"rounds", 4}});
  });
}
