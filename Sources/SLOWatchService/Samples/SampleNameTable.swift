/// Finds the distinct metric names of one body again by their bytes, so that a batch that names 20
/// metrics 5 times each makes 20 strings, not 100, and a sample whose name was met before makes none.
///
/// An open-addressing hash table keyed by the name's bytes (linear probing, a power-of-two number of
/// slots, at most half full): a lookup hashes the bytes in the body (``SampleNameBytes``), probes, and
/// compares the stored hash and then the bytes. A `String` is made only for a name new to the body and
/// to the thread's ``SampleHandleCache``, at any count of distinct names; the table grows by doubling,
/// so a body of 10,000 distinct names stays linear.
struct SampleNameTable {
    /// The slot count a table starts with (room for 32 names before it first grows).
    static let initialCapacity = 64
    /// How many names are compared in a row, hash then bytes, before the slots are allocated.
    static let linearLimit = 4
    /// The names the lists make room for at a body's first name (one allocation each, not six).
    static let reservedNames = 32

    /// Each distinct name's hash and bytes, parallel to the batch's names. The bytes point into
    /// the body being scanned, so a table lives no longer than one scan.
    private var known: [(hash: UInt64, bytes: UnsafeBufferPointer<UInt8>)] = []
    /// The slots: 0 for empty, else the name's index in `known` plus 1. Allocated at the
    /// ``linearLimit``-th name; until then `known` is searched in a row.
    private var slots: [Int32] = []
    /// ``SampleNameBytes/seed``, read once per body rather than through its lazy global per name.
    private let seed = SampleNameBytes.seed

    /// The index of `name` in `batch.metrics`, appending it first when it is new to the body: its handle
    /// from `cache` when the thread resolved it before (no `String` is made then), else its `String`
    /// after `admit` accepted it.
    /// - Parameters:
    ///   - name: the name's UTF-8 bytes, in the body being scanned.
    ///   - batch: the batch being scanned, whose names this table indexes (every one added through it);
    ///     with a `cache`, its ``SampleBatch/handles`` are kept parallel to its names.
    ///   - cache: the calling thread's resolved names, or nil to make a `String` of every new name.
    ///   - admit: checks a name that is new to both the body and the cache.
    /// - Returns: the index, or nil when the name is new and `admit` refused it.
    @inline(__always)
    mutating func slot(
        for name: UnsafeBufferPointer<UInt8>, in batch: inout SampleBatch, cache: SampleHandleTable?,
        admitting admit: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Int? {
        let hash = SampleNameBytes.hash(name, seed: seed)
        if slots.isEmpty {
            // The first few names are compared in a row, so a body of one or two names allocates no slots.
            for (index, candidate) in known.enumerated()
            where candidate.hash == hash && SampleNameBytes.equal(candidate.bytes, name) {
                return index
            }
            guard append(name, hash: hash, to: &batch, cache: cache, admitting: admit) else { return nil }
            if known.count >= Self.linearLimit { rebuild(capacity: Self.initialCapacity) }
            return known.count - 1
        }
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[position])
            if entry == 0 { break }
            let candidate = known[entry - 1]
            if candidate.hash == hash, SampleNameBytes.equal(candidate.bytes, name) { return entry - 1 }
            position = (position + 1) & mask
        }
        guard append(name, hash: hash, to: &batch, cache: cache, admitting: admit) else { return nil }
        slots[position] = Int32(known.count)
        if known.count * 2 > slots.count { rebuild(capacity: slots.count * 2) }
        return known.count - 1
    }

    /// Adds a name new to the body to `known` and to `batch`: through `cache` when it holds the name,
    /// else as a `String`, when `admit` accepts it.
    /// - Returns: false, adding nothing, when `admit` refused it.
    private mutating func append(
        _ name: UnsafeBufferPointer<UInt8>, hash: UInt64, to batch: inout SampleBatch,
        cache: SampleHandleTable?,
        admitting admit: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
        let cached = cache?.handle(for: name, hash: hash)
        guard cached != nil || admit(name) else { return false }
        if known.isEmpty {
            // Room for the usual handful of names at once: growing the lists 1, 2, 4, 8, 16, 32 cost
            // a batch of 20 names about 5,000 instructions of copies and frees.
            known.reserveCapacity(Self.reservedNames)
            batch.metrics.reserveCapacity(Self.reservedNames)
            if cache != nil { batch.handles.reserveCapacity(Self.reservedNames) }
        }
        // A cached handle's name is the same bytes, already a `String`.
        batch.metrics.append(cached?.name ?? String(decoding: name, as: UTF8.self))
        if cache != nil { batch.handles.append(cached) }
        known.append((hash, name))
        return true
    }

    /// Replaces the slots with `capacity` (a power of two, more than twice the names) and re-inserts
    /// every known name; doubling keeps each distinct name's moves O(1) on average.
    private mutating func rebuild(capacity: Int) {
        var larger = [Int32](repeating: 0, count: capacity)
        let mask = larger.count - 1
        for (index, name) in known.enumerated() {
            var position = Int(truncatingIfNeeded: name.hash) & mask
            while larger[position] != 0 { position = (position + 1) & mask }
            larger[position] = Int32(index + 1)
        }
        slots = larger
    }
}
