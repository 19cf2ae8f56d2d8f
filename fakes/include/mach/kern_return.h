// mach/kern_return.h — the Mach result type, for the few Mach calls xpctest
// offers (<mach/mach_time.h>). Drop-in for Apple's header on other systems.
#ifndef XPCTEST_MACH_KERN_RETURN_H
#define XPCTEST_MACH_KERN_RETURN_H

typedef int kern_return_t;

#define KERN_SUCCESS 0
#define KERN_INVALID_ARGUMENT 4
#define KERN_FAILURE 5

#endif  // XPCTEST_MACH_KERN_RETURN_H
