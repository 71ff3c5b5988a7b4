// Glibc's Swift module does not export strtod_l or newlocale (they need _GNU_SOURCE); this shim does.
#define _GNU_SOURCE
#include "CNumberText.h"
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static locale_t posix_locale;
static pthread_once_t posix_locale_once = PTHREAD_ONCE_INIT;

static void create_posix_locale(void) { posix_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

double cnumbertext_strtod(const unsigned char *text, size_t length) {
    pthread_once(&posix_locale_once, create_posix_locale);
    // strtod reads up to a NUL, so the slice is copied: on the stack for any realistic number, on the
    // heap only for absurdly long ones (the body limit bounds them).
    char stack[128];
    char *buffer = length < sizeof stack ? stack : malloc(length + 1);
    if (buffer == NULL) return NAN;
    memcpy(buffer, text, length);
    buffer[length] = 0;
    // Without the POSIX locale the result could depend on the process's locale: fail instead.
    double value = posix_locale ? strtod_l(buffer, NULL, posix_locale) : NAN;
    if (buffer != stack) free(buffer);
    return value;
}
