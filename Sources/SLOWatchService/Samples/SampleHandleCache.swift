import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The metric handles a thread resolved for earlier `POST /samples` bodies, found again by the name's
/// bytes: a name seen before costs no `String`, no name-rule check and no registry lookup.
///
/// Each thread owns one cache (reached through a pthread key; an event loop is one thread), so it
/// needs no lock. It belongs to one registry at a time and is current for one registration version
/// (``MetricsRegistry/registrationVersion``): when either differs from what it was filled at, it is
/// emptied before the next body, so a handle is never used past the DELETE or registration that could
/// stale it. (A thread that posts nothing more keeps its last handles, unused, until it exits.) A body
/// that races a DELETE carries the version its handles were found at (``SampleBatch/handlesVersion``),
/// and ``SampleRecorder/handles(for:in:)`` resolves all of its names again when the version moved.
///
/// Bounded: at most ``maximumNames`` names and ``maximumNameBytes`` bytes of them. A full cache takes
/// no more names (they are resolved through the registry each time) until it is emptied.
final class SampleHandleCache {
    /// The most names kept.
    static let maximumNames = 4_096
    /// The most name bytes kept: 64 bytes a name at the most names (2,048 names at the 128-byte name
    /// limit).
    static let maximumNameBytes = 256 * 1_024

    // Only the owning thread ever touches a cache, so no access can overlap another: the properties
    // skip the runtime's exclusivity check, which cost a body more than its lookups.

    /// The registry the names belong to (its process-unique id), and the version they were found at.
    @exclusivity(unchecked) private var registryID: UInt64 = 0
    @exclusivity(unchecked) private(set) var version: UInt64 = 0
    /// The names. A scan reads a copy (``SampleHandleTable`` is a value of three array references), so
    /// its lookups touch no class property.
    @exclusivity(unchecked) private(set) var table = SampleHandleTable()

    private init() {}

    /// How many names are cached.
    var count: Int { table.count }

    /// The calling thread's cache, made ready for a body bound for `registry`: emptied when it was
    /// filled for another registry or at another registration version.
    static func current(for registry: MetricsRegistry) -> SampleHandleCache {
        let cache: SampleHandleCache
        if let pointer = pthread_getspecific(key) {
            cache = Unmanaged<SampleHandleCache>.fromOpaque(pointer).takeUnretainedValue()
        } else {
            cache = SampleHandleCache()
            pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
        }
        let version = registry.registrationVersion
        if cache.registryID != registry.id || cache.version != version {
            cache.table.removeAll()
            cache.registryID = registry.id
            cache.version = version
        }
        return cache
    }

    /// Caches `handle` under its name, unless the name is cached already or the cache is full.
    func insert(_ handle: MetricHandle) {
        guard table.count < Self.maximumNames,
            table.byteCount + handle.name.utf8.count <= Self.maximumNameBytes
        else { return }
        table.insert(handle)
    }

    /// The pthread key of the per-thread caches; its destructor releases a thread's cache at exit.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        #if canImport(Glibc)
            pthread_key_create(&key) { pointer in
                guard let pointer else { return }
                Unmanaged<SampleHandleCache>.fromOpaque(pointer).release()
            }
        #else
            pthread_key_create(&key) { pointer in Unmanaged<SampleHandleCache>.fromOpaque(pointer).release() }
        #endif
        return key
    }()
}

/// The names of a ``SampleHandleCache``: an open-addressing table (linear probing, a power-of-two slot
/// count at most half full) from a name's bytes to its handle.
struct SampleHandleTable {
    /// One cached name.
    private struct Entry {
        /// ``SampleNameBytes/hash(_:seed:)`` of the name.
        let hash: UInt64
        /// Where the name's bytes start in ``bytes``.
        let start: Int
        /// The name's length in bytes.
        let count: Int
        /// The metric, with the name as a `String`.
        let handle: MetricHandle
    }

    /// Every cached name's bytes, back to back.
    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// 0 is empty, else an index into ``entries`` plus 1; empty until the first name.
    private var slots: [Int32] = []

    /// How many names are cached.
    var count: Int { entries.count }
    /// How many bytes the names take.
    var byteCount: Int { bytes.count }

    /// The handle cached for `name`, whose ``SampleNameBytes/hash(_:seed:)`` is `hash`.
    @inline(__always)
    func handle(for name: UnsafeBufferPointer<UInt8>, hash: UInt64) -> MetricHandle? {
        guard !slots.isEmpty else { return nil }
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                bytes.withUnsafeBufferPointer { stored in
                    let mask = slots.count - 1
                    var position = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let entry = Int(slots[position])
                        if entry == 0 { return nil }
                        let candidate = entries[entry - 1]
                        if candidate.hash == hash,
                            SampleNameBytes.equal(
                                UnsafeBufferPointer(
                                    rebasing: stored[candidate.start..<candidate.start + candidate.count]),
                                name)
                        {
                            return candidate.handle
                        }
                        position = (position + 1) & mask
                    }
                }
            }
        }
    }

    /// Adds `handle` under its name, unless the name is there already.
    mutating func insert(_ handle: MetricHandle) {
        var name = handle.name
        name.withUTF8 { utf8 in
            let hash = SampleNameBytes.hash(utf8, seed: SampleNameBytes.seed)
            guard self.handle(for: utf8, hash: hash) == nil else { return }
            if slots.isEmpty { slots = [Int32](repeating: 0, count: 64) }
            entries.append(Entry(hash: hash, start: bytes.count, count: utf8.count, handle: handle))
            bytes.append(contentsOf: utf8)
            if entries.count * 2 > slots.count {
                rebuild(capacity: slots.count * 2)
            } else {
                place(entries.count - 1)
            }
        }
    }

    /// Empties the table, keeping the storage of its names for the next ones.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        slots = []
    }

    /// Puts entry `index` into the first free slot of its probe run.
    private mutating func place(_ index: Int) {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: entries[index].hash) & mask
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = Int32(index + 1)
    }

    /// Replaces the slots with `capacity` of them and places every entry again.
    private mutating func rebuild(capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        for index in entries.indices { place(index) }
    }
}
