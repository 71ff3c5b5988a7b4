/// The metric name rule: `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`, checked byte by byte without a regex.
package enum MetricName {
    /// The longest accepted name, in bytes (and characters, since only ASCII is accepted).
    package static let maximumLength = 128

    /// Whether `name` follows the rule.
    package static func isValid(_ name: String) -> Bool {
        if let fast = name.utf8.withContiguousStorageIfAvailable({ isValid(bytes: $0) }) {
            return fast
        }
        // Only strings without contiguous UTF-8 (bridged ones) get here.
        return Array(name.utf8).withUnsafeBufferPointer { isValid(bytes: $0) }
    }

    /// Throws `MetricsError.invalidName` unless `name` follows the rule.
    static func validate(_ name: String) throws(MetricsError) {
        guard isValid(name) else { throw .invalidName(name) }
    }

    /// Whether the UTF-8 bytes of a name follow the rule.
    package static func isValid(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.count <= maximumLength, isAlphanumeric(first) else {
            return false
        }
        for byte in bytes.dropFirst() where !isAlphanumeric(byte) {
            switch byte {
            case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-"): continue
            default: return false
            }
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: false
        }
    }
}
