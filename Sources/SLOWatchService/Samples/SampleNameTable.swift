import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the distinct metric names of one body again by their bytes, so that a batch that names 20
/// metrics 5 times each makes 20 strings, not 100.
///
/// The first ``linearLimit`` names are kept with a hash of their bytes and searched linearly, which for
/// the usual handful of names beats hashing into a dictionary; past that, lookups go through a
/// dictionary, so a batch of 10,000 distinct names stays linear.
struct SampleNameTable {
    /// How many names are searched linearly before the dictionary takes over.
    static let linearLimit = 32

    /// The first names' bytes and a hash of them, parallel to the start of the caller's name list. The
    /// bytes point into the body being scanned, so a table lives no longer than one scan.
    private var known: [(hash: UInt64, bytes: UnsafeBufferPointer<UInt8>)] = []
    /// Every name's index once there are more than ``linearLimit``.
    private var byName: [String: Int] = [:]

    /// The index of `name` in `names`, appending it first when it is new and `admit` accepts it.
    /// - Parameters:
    ///   - name: the name's UTF-8 bytes, in the body being scanned.
    ///   - names: the distinct names so far, which this table indexes.
    ///   - admit: checks a name met for the first time.
    /// - Returns: the index, or nil when the name is new and `admit` refused it.
    mutating func slot(
        for name: UnsafeBufferPointer<UInt8>, in names: inout [String],
        admitting admit: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Int? {
        if names.count <= Self.linearLimit {
            let hash = Self.hash(name)
            for slot in known.indices where known[slot].hash == hash && Self.equal(known[slot].bytes, name) {
                return slot
            }
            guard admit(name) else { return nil }
            names.append(String(decoding: name, as: UTF8.self))
            if names.count <= Self.linearLimit {
                known.append((hash, name))
            } else {
                for (slot, known) in names.enumerated() { byName[known] = slot }
            }
            return names.count - 1
        }
        let text = String(decoding: name, as: UTF8.self)
        if let slot = byName[text] { return slot }
        guard admit(name) else { return nil }
        names.append(text)
        byName[text] = names.count - 1
        return names.count - 1
    }

    private static func equal(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool
    {
        guard left.count == right.count else { return false }
        guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
        return memcmp(leftBase, rightBase, left.count) == 0
    }

    /// The core's name hash (multiply-xorshift, 8 bytes at a time): cheap, and a collision only costs a
    /// byte comparison.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        MetricIndex.hash(bytes: bytes, seed: 0)
    }
}
