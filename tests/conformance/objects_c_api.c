/* The object API used from plain C11 with blocks, as user code would. Each
 * function returns 1 on success; objects_c_api_test.cc calls them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xpc/xpc.h>

int xpctest_c_dictionary_apply_sums_values(void) {
  xpc_object_t message = xpc_dictionary_create_empty();
  xpc_dictionary_set_int64(message, "a", 2);
  xpc_dictionary_set_int64(message, "b", 40);
  xpc_dictionary_set_string(message, "op", "add");
  __block int64_t sum = 0;
  __block int visits = 0;
  bool all = xpc_dictionary_apply(message, ^bool(const char* key, xpc_object_t value) {
    ++visits;
    if (xpc_get_type(value) == XPC_TYPE_INT64) sum += xpc_int64_get_value(value);
    return true;
  });
  xpc_release(message);
  return all && visits == 3 && sum == 42;
}

int xpctest_c_array_round_trip(void) {
  xpc_object_t items[2];
  items[0] = xpc_string_create("first");
  items[1] = xpc_bool_create(true);
  xpc_object_t array = xpc_array_create(items, 2);
  xpc_release(items[0]);
  xpc_array_set_uint64(array, XPC_ARRAY_APPEND, 7);
  __block size_t last = 0;
  xpc_array_apply(array, ^bool(size_t index, xpc_object_t value) {
    last = index;
    return true;
  });
  int ok = last == 2 && xpc_array_get_count(array) == 3 &&
           strcmp(xpc_array_get_string(array, 0), "first") == 0 &&
           xpc_array_get_value(array, 1) == XPC_BOOL_TRUE &&
           xpc_array_get_uint64(array, 2) == 7;
  xpc_release(array);
  return ok;
}

int xpctest_c_copy_equal_description(void) {
  xpc_object_t dictionary = xpc_dictionary_create_empty();
  xpc_object_t nested = xpc_array_create_empty();
  xpc_dictionary_set_value(dictionary, "list", nested);
  xpc_release(nested);
  xpc_object_t copy = xpc_copy(dictionary);
  int ok = xpc_equal(copy, dictionary) && copy != dictionary &&
           xpc_hash(copy) == xpc_hash(dictionary);
  char* description = xpc_copy_description(copy);
  ok = ok && description != NULL && strncmp(description, "<dictionary: 0x", 15) == 0;
  free(description);
  ok = ok && xpc_get_type(XPC_ERROR_CONNECTION_INVALID) == XPC_TYPE_ERROR &&
       strcmp(xpc_dictionary_get_string(XPC_ERROR_CONNECTION_INVALID, XPC_ERROR_KEY_DESCRIPTION),
              "Connection invalid") == 0 &&
       strcmp(xpc_type_get_name(xpc_get_type(copy)), "dictionary") == 0;
  xpc_release(copy);
  xpc_release(dictionary);
  return ok;
}
