import SLOWatchCore

/// Writes the binary payloads of the data directory: little-endian integers, IEEE doubles by their bits
/// (so every value, -0.0 included, comes back exactly), and length-prefixed UTF-8 strings.
struct BinaryWriter {
    /// What was written so far.
    private(set) var bytes: [UInt8] = []

    /// Appends `value` as it is.
    mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    /// Creates a writer with room for `capacity` bytes.
    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Appends one byte.
    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Appends 8 little-endian bytes.
    mutating func integer(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    /// Appends a double by its bit pattern.
    mutating func double(_ value: Double) { integer(value.bitPattern) }

    /// Appends the UTF-8 length, then the bytes.
    mutating func string(_ value: String) {
        integer(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// Appends each sample as its value's bits then its timestamp's bits (16 bytes, little-endian); on a
    /// little-endian machine the run is copied as it lies in memory.
    mutating func samples(_ run: ArraySlice<RecentSample>) {
        #if _endian(little)
            if MemoryLayout<RecentSample>.stride == 16,
                run.withContiguousStorageIfAvailable({ bytes.append(contentsOf: UnsafeRawBufferPointer($0)) })
                    != nil
            {
                return
            }
        #endif
        for sample in run {
            double(sample.value)
            double(sample.timestamp)
        }
    }
}

/// Reads what ``BinaryWriter`` wrote, refusing to read past the end.
struct BinaryReader {
    /// Why a payload could not be read: it is cut short or holds an impossible value.
    struct Failure: Error {
        /// What was being read, e.g. `the metric count`.
        var what: String
    }

    private let bytes: [UInt8]
    private var offset = 0

    /// Reads `bytes` from the start.
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte was read.
    var isAtEnd: Bool { offset == bytes.count }

    /// The bytes not read yet.
    var remaining: Int { bytes.count - offset }

    /// One byte.
    mutating func byte(_ what: String) throws(Failure) -> UInt8 {
        guard remaining >= 1 else { throw Failure(what: what) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// 8 little-endian bytes.
    mutating func integer(_ what: String) throws(Failure) -> UInt64 {
        guard remaining >= 8 else { throw Failure(what: what) }
        defer { offset += 8 }
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    /// A count of items that each take at least `itemBytes` bytes, checked against what is left, so that
    /// a damaged count cannot make the caller reserve terabytes.
    mutating func count(_ what: String, itemBytes: Int) throws(Failure) -> Int {
        let value = try integer(what)
        guard value <= UInt64(remaining / max(1, itemBytes)) else { throw Failure(what: what) }
        return Int(value)
    }

    /// A double from its bit pattern.
    mutating func double(_ what: String) throws(Failure) -> Double {
        Double(bitPattern: try integer(what))
    }

    /// `count` samples written by ``BinaryWriter/samples(_:)``; the caller checked that they fit.
    mutating func samples(_ count: Int, _ what: String) throws(Failure) -> [RecentSample] {
        guard count >= 0, remaining / 16 >= count else { throw Failure(what: what) }
        var run: [RecentSample] = []
        #if _endian(little)
            if MemoryLayout<RecentSample>.stride == 16 {
                run = [RecentSample](unsafeUninitializedCapacity: count) { buffer, initialized in
                    bytes.withUnsafeBytes { source in
                        UnsafeMutableRawBufferPointer(buffer).copyMemory(
                            from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + 16 * count)]))
                    }
                    initialized = count
                }
                offset += 16 * count
                return run
            }
        #endif
        run.reserveCapacity(count)
        for _ in 0..<count {
            let value = try double(what)
            run.append(RecentSample(value: value, timestamp: try double(what)))
        }
        return run
    }

    /// The next `count` bytes as they are; the caller checked that they fit.
    mutating func raw(_ count: Int, _ what: String) throws(Failure) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw Failure(what: what) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// A length-prefixed UTF-8 string.
    mutating func string(_ what: String) throws(Failure) -> String {
        let length = try count(what, itemBytes: 1)
        defer { offset += length }
        return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
    }
}
