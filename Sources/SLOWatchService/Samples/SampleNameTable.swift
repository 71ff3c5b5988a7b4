import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the distinct metric names of one body again by their bytes, so that a batch that names 20
/// metrics 5 times each makes 20 strings, not 100, and a sample whose name was met before makes none.
///
/// An open-addressing hash table keyed by the name's bytes (linear probing, a power-of-two number of
/// slots, at most half full): a lookup hashes the bytes in the body, probes, and compares the stored
/// hash and then the bytes. A `String` is made only for a name new to the body, at any count of
/// distinct names; the table grows by doubling, so a body of 10,000 distinct names stays linear.
struct SampleNameTable {
    /// The slot count a table starts with (room for 32 names before it first grows).
    static let initialCapacity = 64
    /// How many names are compared in a row, hash then bytes, before the slots are allocated.
    static let linearLimit = 4
    /// The names both lists make room for at a body's first name (one allocation each, not six).
    static let reservedNames = 32

    /// Each distinct name's hash and bytes, parallel to the caller's name list. The bytes point into
    /// the body being scanned, so a table lives no longer than one scan.
    private var known: [(hash: UInt64, bytes: UnsafeBufferPointer<UInt8>)] = []
    /// The slots: 0 for empty, else the name's index in `known` plus 1. Allocated at the
    /// ``linearLimit``-th name; until then `known` is searched in a row.
    private var slots: [Int32] = []

    /// The index of `name` in `names`, appending it first when it is new and `admit` accepts it.
    /// - Parameters:
    ///   - name: the name's UTF-8 bytes, in the body being scanned.
    ///   - names: the distinct names so far, which this table indexes (every one added through it).
    ///   - admit: checks a name met for the first time.
    /// - Returns: the index, or nil when the name is new and `admit` refused it.
    mutating func slot(
        for name: UnsafeBufferPointer<UInt8>, in names: inout [String],
        admitting admit: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Int? {
        let hash = Self.hash(name)
        if slots.isEmpty {
            // The first few names are compared in a row, so a body of one or two names allocates no slots.
            for (index, candidate) in known.enumerated()
            where candidate.hash == hash && Self.equal(candidate.bytes, name) {
                return index
            }
            guard admit(name) else { return nil }
            if known.isEmpty {
                // Room for the usual handful of names at once: growing both lists 1, 2, 4, 8, 16, 32 cost
                // a batch of 20 names about 5,000 instructions of copies and frees.
                known.reserveCapacity(Self.reservedNames)
                names.reserveCapacity(Self.reservedNames)
            }
            names.append(String(decoding: name, as: UTF8.self))
            known.append((hash, name))
            if known.count >= Self.linearLimit { rebuild(capacity: Self.initialCapacity) }
            return known.count - 1
        }
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[position])
            if entry == 0 { break }
            let candidate = known[entry - 1]
            if candidate.hash == hash, Self.equal(candidate.bytes, name) { return entry - 1 }
            position = (position + 1) & mask
        }
        guard admit(name) else { return nil }
        names.append(String(decoding: name, as: UTF8.self))
        known.append((hash, name))
        slots[position] = Int32(known.count)
        if known.count * 2 > slots.count { rebuild(capacity: slots.count * 2) }
        return known.count - 1
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

    private static func equal(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool
    {
        guard left.count == right.count else { return false }
        guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
        return memcmp(leftBase, rightBase, left.count) == 0
    }

    /// A seed drawn once per process, so a client cannot choose names that all land on one slot.
    private static let seed = UInt64.random(in: 0...UInt64.max)

    /// The core's name hash (multiply-xorshift, 8 bytes at a time) under the process's seed: cheap,
    /// and a collision only costs a byte comparison. Its low bits pick the slot.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        MetricIndex.hash(bytes: bytes, seed: seed)
    }
}
