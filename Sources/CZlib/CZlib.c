#include "CZlib.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/// zlib's windowBits for a gzip wrapper (15-bit window + 16).
static const int gzipWindowBits = 15 + 16;

size_t czlib_gzip_bound(size_t length) {
    // deflateBound needs a stream; the zlib wrapper's bound plus the gzip header and trailer difference
    // (18 bytes instead of 6) is what deflateBound returns for windowBits 31 with no extra header.
    return (size_t)compressBound((uLong)length) + 18;
}

int czlib_gzip(const uint8_t *input, size_t length, int level, uint8_t *output, size_t capacity,
               size_t *written) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    *written = 0;
    if (level < 1 || level > 9) level = Z_DEFAULT_COMPRESSION;
    if (deflateInit2(&stream, level, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return CZLIB_NO_MEMORY;
    }
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int result = deflate(&stream, Z_FINISH);
    *written = (size_t)stream.total_out;
    deflateEnd(&stream);
    return result == Z_STREAM_END ? CZLIB_OK : CZLIB_NO_MEMORY;
}

int czlib_gunzip(const uint8_t *input, size_t length, size_t limit, uint8_t **output, size_t *written) {
    *output = NULL;
    *written = 0;
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, gzipWindowBits) != Z_OK) return CZLIB_NO_MEMORY;
    size_t capacity = length * 4 < 4096 ? 4096 : length * 4;
    if (capacity > limit) capacity = limit;
    // One byte more than the limit can hold, so that reaching the limit is told apart from passing it.
    uint8_t *buffer = malloc(capacity + 1);
    if (buffer == NULL) {
        inflateEnd(&stream);
        return CZLIB_NO_MEMORY;
    }
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)length;
    size_t used = 0;
    int status = CZLIB_CORRUPT;
    for (;;) {
        stream.next_out = buffer + used;
        stream.avail_out = (uInt)(capacity + 1 - used);
        int result = inflate(&stream, Z_NO_FLUSH);
        used = (size_t)(stream.next_out - buffer);
        if (used > limit) {
            status = CZLIB_TOO_LARGE;
            break;
        }
        if (result == Z_STREAM_END) {
            if (stream.avail_in == 0) {
                status = CZLIB_OK;
                break;
            }
            // Another gzip member follows (RFC 1952 allows several): inflate it too.
            if (inflateReset(&stream) != Z_OK) break;
            continue;
        }
        if (result != Z_OK && result != Z_BUF_ERROR) {
            if (result == Z_MEM_ERROR) status = CZLIB_NO_MEMORY;
            break;  // a bad header, block or checksum
        }
        if (stream.avail_out > 0) break;  // room left but no more input: truncated
        // The buffer is full (and `used` is at most `limit`, so `capacity` is below it): grow it.
        size_t grown = capacity * 2 > limit ? limit : capacity * 2;
        uint8_t *larger = realloc(buffer, grown + 1);
        if (larger == NULL) {
            status = CZLIB_NO_MEMORY;
            break;
        }
        buffer = larger;
        capacity = grown;
    }
    inflateEnd(&stream);
    *output = buffer;
    *written = used > limit ? limit : used;
    return status;
}

void czlib_free(uint8_t *buffer) { free(buffer); }
