#ifndef CCURLSHIM_H
#define CCURLSHIM_H

/*
 * Typed wrappers over libcurl's variadic curl_easy_setopt / curl_easy_getinfo,
 * which Swift cannot call directly. Used only by the test client.
 */

#include <curl/curl.h>

/* A libcurl data callback (write, read, and header callbacks share this shape). */
typedef size_t (*slw_data_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

/* Calls curl_global_init(CURL_GLOBAL_ALL); CURL_GLOBAL_ALL is a macro Swift cannot import. */
CURLcode slw_global_init(void);

/* The value libcurl reads as "abort the transfer" from a read callback. */
size_t slw_readfunc_abort(void);

/* Sets an option that takes a long. */
CURLcode slw_setopt_long(CURL *handle, CURLoption option, long value);
/* Sets an option that takes a curl_off_t (the *_LARGE options). */
CURLcode slw_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
/* Sets an option that takes an opaque pointer (e.g. CURLOPT_WRITEDATA, CURLOPT_HTTPHEADER). */
CURLcode slw_setopt_ptr(CURL *handle, CURLoption option, void *value);
/* Sets an option that takes a NUL-terminated string (libcurl copies it). */
CURLcode slw_setopt_str(CURL *handle, CURLoption option, const char *value);
/* Sets CURLOPT_WRITEFUNCTION. */
CURLcode slw_setopt_write_function(CURL *handle, slw_data_callback callback);
/* Sets CURLOPT_READFUNCTION. */
CURLcode slw_setopt_read_function(CURL *handle, slw_data_callback callback);
/* Sets CURLOPT_HEADERFUNCTION. */
CURLcode slw_setopt_header_function(CURL *handle, slw_data_callback callback);

/* Reads a long-valued CURLINFO. */
CURLcode slw_getinfo_long(CURL *handle, CURLINFO info, long *value);
/* Reads a double-valued CURLINFO. */
CURLcode slw_getinfo_double(CURL *handle, CURLINFO info, double *value);
/* Reads a curl_off_t-valued CURLINFO. */
CURLcode slw_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
