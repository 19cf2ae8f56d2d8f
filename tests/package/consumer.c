// The smallest user of xpctest: plain C with blocks against the drop-in headers.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xpc/xpc.h>

int main(void) {
  xpc_object_t message = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(message, "op", "add");
  xpc_dictionary_set_int64(message, "a", 2);
  __block int64_t seen = 0;
  xpc_dictionary_apply(message, ^bool(const char* key, xpc_object_t value) {
    if (xpc_get_type(value) == XPC_TYPE_INT64) seen += xpc_int64_get_value(value);
    return true;
  });
  xpc_object_t copy = xpc_copy(message);
  int ok = seen == 2 && xpc_equal(copy, message) &&
           strcmp(xpc_dictionary_get_string(copy, "op"), "add") == 0;
  xpc_release(copy);
  xpc_release(message);
  if (!ok) {
    fprintf(stderr, "consumer: unexpected result\n");
    return EXIT_FAILURE;
  }
  puts("consumer: ok");
  return EXIT_SUCCESS;
}
