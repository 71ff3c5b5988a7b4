#ifndef CLOADTIMER_H
#define CLOADTIMER_H
#include <stdint.h>

/// A non-blocking, close-on-exec timerfd on CLOCK_MONOTONIC; -1 with errno. Sets the calling thread's
/// timer slack to 1 ns, so the timer fires on time instead of up to 50 us late.
int cloadtimer_create(void);
/// Arms `fd` to fire once at the absolute CLOCK_MONOTONIC time `deadline_ns`; 0 or -1 with errno.
/// A deadline already past fires at once.
int cloadtimer_arm(int fd, uint64_t deadline_ns);
/// Reads (and so clears) the expiration count; harmless when the timer has not fired.
void cloadtimer_clear(int fd);
/// CLOCK_MONOTONIC now, in ns.
uint64_t cloadtimer_now_ns(void);
#endif
