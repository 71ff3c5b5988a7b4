import SLOWatchCore
import SeededRandom
import Testing

@testable import SLOWatchService

/// The thread's cache of resolved metric names (``SampleHandleCache``) behind `POST /samples`: names
/// seen before come back as handles without a registry lookup, and nothing a DELETE or a registration
/// changed is ever recorded through a stale one. In-process requests run on the test's own thread, so
/// each test sees one cache.
@Suite("POST /samples: the per-thread cache of resolved names")
struct SampleHandleCacheTests {
    @Test("a body's names are cached once resolved, and the next body finds them by their bytes")
    func namesAreCachedAfterTheFirstBody() throws {
        let service = try InProcessService()
        let registry = service.service.registry
        let body = SampleJSON.batch([("api.a", 1, nil), ("api.b", 2, nil), ("api.a", 3, nil)])
        let first = try #require(
            SampleBodyScanner.scan(Array(body.utf8), cache: SampleHandleCache.current(for: registry)))
        #expect(first.handles.map { $0 == nil } == [true, true])
        #expect(try service.client.postJSON("/samples", body).status == 200)
        // The post registered both names (a new version, so the cache was emptied) and cached them.
        let cache = SampleHandleCache.current(for: registry)
        #expect(cache.count == 2)
        let second = try #require(SampleBodyScanner.scan(Array(body.utf8), cache: cache))
        #expect(second.handles.map { $0?.name } == ["api.a", "api.b"])
        #expect(second.metrics == ["api.a", "api.b"])
        #expect(try service.client.postJSON("/samples", body).status == 200)
        #expect(registry.summary(for: "api.a")?.count == 4)
        #expect(registry.summary(for: "api.b")?.count == 2)
    }

    @Test("after DELETE, a cached name records into the metric registered anew, not the removed one")
    func deleteThenPost() throws {
        let service = try Self.serviceCachingAB()
        let registry = service.service.registry
        let client = service.client
        #expect(try client.delete("/metrics/a").status == 204)
        #expect(SampleHandleCache.current(for: registry).count == 0, "the DELETE's new version empties it")
        #expect(
            try client.postJSON("/samples", SampleJSON.batch([("a", 5, nil), ("b", 6, nil)])).status == 200)
        #expect(try registry.recentSamples(for: "a", limit: 10).map(\.value) == [5])
        #expect(try registry.recentSamples(for: "b", limit: 10).map(\.value) == [6, 4, 2])
    }

    @Test("a deleted metric's cached handle cannot break all or nothing when the registry is full")
    func allOrNothingAfterDelete() throws {
        let service = try Self.serviceCachingAB { $0.maxMetrics = 2 }
        let registry = service.service.registry
        let client = service.client
        #expect(try client.delete("/metrics/a").status == 204)
        #expect(try client.postJSON("/samples", #"{"metric":"c","value":9}"#).status == 200)
        // "b" fits, "a" no longer does: the whole batch is refused and "b" keeps its two samples.
        let response = try client.postJSON("/samples", SampleJSON.batch([("b", 7, nil), ("a", 8, nil)]))
        expectAPIError(
            response, status: 422, code: "metric_limit_reached",
            message: #"Cannot register metric "a": the limit of 2 metrics is reached."#)
        #expect(try registry.recentSamples(for: "b", limit: 10).map(\.value) == [4, 2])
        #expect(registry.summary(for: "a") == nil)
    }

    @Test("a cache belongs to one registry: another registry's body on the same thread starts empty")
    func oneRegistryAtATime() throws {
        let first = try InProcessService()
        let second = try InProcessService()
        #expect(try first.client.postJSON("/samples", #"{"metric":"a","value":1}"#).status == 200)
        #expect(try first.client.postJSON("/samples", #"{"metric":"a","value":1}"#).status == 200)
        #expect(SampleHandleCache.current(for: first.service.registry).count == 1)
        #expect(SampleHandleCache.current(for: second.service.registry).count == 0)
        #expect(try second.client.postJSON("/samples", #"{"metric":"a","value":2}"#).status == 200)
        #expect(try first.service.registry.recentSamples(for: "a", limit: 10).map(\.value) == [1, 1])
        #expect(try second.service.registry.recentSamples(for: "a", limit: 10).map(\.value) == [2])
    }

    @Test("the cache is bounded by its name count: past it, names are resolved through the registry")
    func boundedByNames() throws {
        let registry = MetricsRegistry()
        let names = (0..<(SampleHandleCache.maximumNames + 10)).map { "m\($0)" }
        let handles = try names.map { try registry.handle(for: $0) }
        let cache = SampleHandleCache.current(for: registry)
        for handle in handles { cache.insert(handle) }
        #expect(cache.count == SampleHandleCache.maximumNames)
        let body = Array(SampleJSON.batch([("m7", 1, nil), (names[names.count - 1], 2, nil)]).utf8)
        let batch = try #require(SampleBodyScanner.scan(body, cache: cache))
        #expect(batch.handles.map { $0?.name } == ["m7", nil], "the name past the limit was not cached")
        let resolved = try SampleRecorder.handles(for: batch, in: registry)
        #expect(resolved.map(\.name) == batch.metrics)
        #expect(SampleHandleCache.current(for: registry).count == SampleHandleCache.maximumNames)
    }

    @Test("the cache is bounded by its name bytes: 2,048 names of 128 bytes fill it")
    func boundedByBytes() throws {
        let registry = MetricsRegistry()
        let names = (0..<2_100).map { index in
            let prefix = "n\(index)."
            return prefix + String(repeating: "x", count: MetricName.maximumLength - prefix.utf8.count)
        }
        let handles = try names.map { try registry.handle(for: $0) }
        let cache = SampleHandleCache.current(for: registry)
        for handle in handles { cache.insert(handle) }
        #expect(cache.count == SampleHandleCache.maximumNameBytes / MetricName.maximumLength)
    }

    @Test("a body of cached and new names records each sample into its own metric")
    func mixedCachedAndNewNames() throws {
        let service = try Self.serviceCachingAB()
        let registry = service.service.registry
        let client = service.client
        let body = SampleJSON.batch([
            ("a", 5, nil), ("c", 6, nil), ("b", 7, nil), ("d", 8, nil), ("a", 9, nil),
        ])
        let batch = try #require(
            SampleBodyScanner.scan(Array(body.utf8), cache: SampleHandleCache.current(for: registry)))
        #expect(batch.handles.map { $0?.name } == ["a", nil, "b", nil], "a and b cached, c and d new")
        #expect(try client.postJSON("/samples", body).status == 200)
        #expect(try registry.recentSamples(for: "a", limit: 10).map(\.value) == [9, 5, 3, 1])
        #expect(try registry.recentSamples(for: "b", limit: 10).map(\.value) == [7, 4, 2])
        #expect(try registry.recentSamples(for: "c", limit: 10).map(\.value) == [6])
        #expect(try registry.recentSamples(for: "d", limit: 10).map(\.value) == [8])
    }

    @Test("a DELETE between decoding and recording: the batch's names are resolved again, all or nothing")
    func deleteBetweenDecodeAndRecord() throws {
        var configuration = MetricsRegistry.Configuration()
        configuration.maxMetrics = 2
        let registry = MetricsRegistry(configuration: configuration)
        _ = try registry.handle(for: "a")
        _ = try registry.handle(for: "b")
        let cache = SampleHandleCache.current(for: registry)
        for name in ["a", "b"] { cache.insert(try registry.handle(for: name)) }
        let body = Array(SampleJSON.batch([("b", 7, nil), ("a", 8, nil)]).utf8)
        let batch = try #require(SampleBodyScanner.scan(body, cache: cache))
        #expect(batch.handles.map { $0?.name } == ["b", "a"])
        // Meanwhile, on another connection: "a" is deleted and "c" takes its place.
        try registry.unregister("a")
        _ = try registry.handle(for: "c")
        #expect(throws: APIError.self) {
            try SampleRecorder.record(batch, into: registry, arrivalMilliseconds: 1_764_393_600_000)
        }
        #expect(registry.summary(for: "b")?.count == 0, "nothing of the batch was recorded")
        #expect(registry.summary(for: "a") == nil)
    }

    @Test("names of every length up to the limit, differing in any one byte, are told apart")
    func namesDifferingInOneByte() throws {
        let registry = MetricsRegistry()
        var random = SplitMix64(seed: 0xCA_C4E)
        // Letters and digits only, so a name may start with any of them.
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        for length in 1...MetricName.maximumLength {
            var bytes = (0..<length).map { _ in alphabet[Int(random.next() % 62)] }
            let base = String(decoding: bytes, as: UTF8.self)
            let position = Int(random.next() % UInt64(length))
            bytes[position] = bytes[position] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
            let other = String(decoding: bytes, as: UTF8.self)
            let cache = SampleHandleCache.current(for: registry)
            cache.insert(try registry.handle(for: base))
            let body = Array(SampleJSON.batch([(base, 1, nil), (other, 2, nil), (base, 3, nil)]).utf8)
            let batch = try #require(SampleBodyScanner.scan(body, cache: cache), "length \(length)")
            #expect(batch.metrics == [base, other], "length \(length)")
            #expect(batch.handles.map { $0?.name } == [base, nil], "length \(length)")
            #expect(batch.samples.map(\.metric) == [0, 1, 0], "length \(length)")
        }
    }

    /// A service whose calling thread's cache holds "a" and "b": a batch of both posted twice, (a 1, b 2)
    /// then (a 3, b 4). The first post registers them, which empties the cache; the second caches them.
    private static func serviceCachingAB(
        _ configure: (inout ServiceConfiguration) -> Void = { _ in },
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> InProcessService {
        let service = try InProcessService(configure: configure)
        for (first, second) in [(1.0, 2.0), (3.0, 4.0)] {
            let body = SampleJSON.batch([("a", first, nil), ("b", second, nil)])
            #expect(
                try service.client.postJSON("/samples", body).status == 200, sourceLocation: sourceLocation)
        }
        #expect(
            SampleHandleCache.current(for: service.service.registry).count == 2,
            sourceLocation: sourceLocation)
        return service
    }
}
