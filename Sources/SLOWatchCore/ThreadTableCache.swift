#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The current thread's view of one registry's index, so that `record` finds a metric with one
/// atomic load of the registry's version and no shared write at all.
///
/// Each thread owns one instance, reached through a pthread key; only that thread reads or writes it,
/// which is why it needs no lock. It holds a strong reference to the index it last saw, which keeps
/// that index alive for as long as the thread may use it (another thread may publish a newer index and
/// release this one at any moment).
///
/// That reference outlives the registry on every thread that used it, until the thread uses another
/// registry or exits. The index is small, and the registry's `deinit` frees every metric's samples and
/// resets the deinitializing thread's cache (`forget`), so what stays behind is bounded and holds no
/// samples. Registry ids come from a process-wide counter and are never reused, so a new registry at a
/// dead one's address never matches a stale cache.
final class ThreadTableCache {
    /// The registry the cached index belongs to (a process-unique id, never reused).
    var registryID: UInt64 = 0
    /// That registry's index version when it was cached.
    var version: UInt64 = 0
    /// The cached index; this strong reference keeps it alive.
    var index: MetricIndex {
        didSet { fastIndex = Unmanaged.passUnretained(index) }
    }
    /// The same index, to be read with `_withUnsafeGuaranteedRef`, which does not retain it: a retain
    /// would write to the index's reference count, which every thread shares.
    private(set) var fastIndex: Unmanaged<MetricIndex>

    private init() {
        index = MetricIndex.empty
        fastIndex = Unmanaged.passUnretained(MetricIndex.empty)
    }

    /// Drops the calling thread's cached index if it belongs to registry `registryID`.
    /// - Parameter key: `ThreadTableCache.key`.
    static func forget(registryID: UInt64, key: pthread_key_t) {
        guard let pointer = pthread_getspecific(key) else { return }
        let cache = Unmanaged<ThreadTableCache>.fromOpaque(pointer).takeUnretainedValue()
        guard cache.registryID == registryID else { return }
        cache.index = MetricIndex.empty
        cache.registryID = 0
        cache.version = 0
    }

    /// The pthread key of the per-thread caches; its destructor releases a thread's cache at exit.
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        #if canImport(Glibc)
            pthread_key_create(&key) { pointer in
                guard let pointer else { return }
                Unmanaged<ThreadTableCache>.fromOpaque(pointer).release()
            }
        #else
            pthread_key_create(&key) { pointer in Unmanaged<ThreadTableCache>.fromOpaque(pointer).release() }
        #endif
        return key
    }()

    /// The calling thread's cache, created on first use and released when the thread exits.
    /// - Parameter key: `ThreadTableCache.key`, passed in so the hot path skips the lazy-global check.
    @inline(__always)
    static func current(key: pthread_key_t) -> Unmanaged<ThreadTableCache> {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged.fromOpaque(pointer)
        }
        let cache = Unmanaged.passRetained(ThreadTableCache())
        pthread_setspecific(key, cache.toOpaque())
        return cache
    }
}
