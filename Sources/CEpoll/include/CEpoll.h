#ifndef CEPOLL_H
#define CEPOLL_H
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

/// Readiness flags, re-exported as plain constants (the glibc ones are enum macros).
static const uint32_t CEPOLL_IN = EPOLLIN;
static const uint32_t CEPOLL_OUT = EPOLLOUT;
static const uint32_t CEPOLL_ERR = EPOLLERR;
static const uint32_t CEPOLL_HUP = EPOLLHUP;
static const uint32_t CEPOLL_RDHUP = EPOLLRDHUP;
static const uint32_t CEPOLL_ET = EPOLLET;
static const uint32_t CEPOLL_EXCLUSIVE = EPOLLEXCLUSIVE;

/// An unpacked copy of `struct epoll_event` (which is packed on x86_64).
typedef struct {
    uint32_t events;
    uint64_t data;
} cepoll_event_t;

int cepoll_create(void);
/// `op`: 0 add, 1 modify, 2 delete. Returns 0 or -1 with errno.
int cepoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/// Waits for at most `max` (<= 1024) events; returns their count, or -1 with errno.
int cepoll_wait(int epfd, cepoll_event_t *events, int max, int timeout_ms);
/// A non-blocking, close-on-exec eventfd.
int cepoll_eventfd_create(void);
void cepoll_eventfd_signal(int fd);
void cepoll_eventfd_clear(int fd);
/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC, then TCP_NODELAY on the new socket; -1 with errno.
int cepoll_accept(int listener);
#endif
