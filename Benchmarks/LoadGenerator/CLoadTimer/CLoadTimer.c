#include "CLoadTimer.h"
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int cloadtimer_create(void) {
    // Linux delays a sleeping thread's timer by up to its slack (50 us by default) to batch wake-ups;
    // 1 ns makes requests leave at their intended times.
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
}

int cloadtimer_arm(int fd, uint64_t deadline_ns) {
    struct itimerspec spec = {0};
    // A zero it_value disarms the timer, so the earliest deadline is 1 ns.
    if (deadline_ns == 0) deadline_ns = 1;
    spec.it_value.tv_sec = (time_t)(deadline_ns / 1000000000ull);
    spec.it_value.tv_nsec = (long)(deadline_ns % 1000000000ull);
    return timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, NULL);
}

void cloadtimer_clear(int fd) {
    uint64_t expirations;
    ssize_t ignored = read(fd, &expirations, sizeof expirations);
    (void)ignored;
}

uint64_t cloadtimer_now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}
