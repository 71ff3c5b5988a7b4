import Testing

@testable import SLOWatchHTTP

@Suite struct DateCacheTests {
    @Test func formatsIMFFixdate() {
        #expect(
            String(decoding: DateCache.format(epochSeconds: 784_111_777), as: UTF8.self)
                == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(
            String(decoding: DateCache.format(epochSeconds: 0), as: UTF8.self)
                == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(
            String(decoding: DateCache.format(epochSeconds: 1_709_208_000), as: UTF8.self)
                == "Thu, 29 Feb 2024 12:00:00 GMT")
    }

    @Test func recomputesOnlyWhenTheSecondChanges() {
        var cache = DateCache()
        cache.update(epochSeconds: 784_111_777)
        let first = cache.bytes
        cache.update(epochSeconds: 784_111_777)
        // The same storage, not just equal bytes: a recomputation would allocate a new array while
        // `first` still holds the old one.
        let sameStorage = first.withUnsafeBufferPointer { old in
            cache.bytes.withUnsafeBufferPointer { new in old.baseAddress == new.baseAddress }
        }
        #expect(sameStorage)
        cache.update(epochSeconds: 784_111_778)
        #expect(String(decoding: cache.bytes, as: UTF8.self) == "Sun, 06 Nov 1994 08:49:38 GMT")
        #expect(cache.second == 784_111_778)
    }
}
