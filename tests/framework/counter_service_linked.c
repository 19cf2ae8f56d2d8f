// counter_service.c linked into the test program, its main renamed: every
// launch shares the program's globals (the contract of RegisterService).
#define main counter_service_main
#include "counter_service.c"
