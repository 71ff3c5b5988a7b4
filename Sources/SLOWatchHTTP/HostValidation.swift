/// The syntax of a `Host` header value (RFC 9110 section 7.2, RFC 3986 section 3.2.2):
/// `uri-host [ ":" port ]`, where `uri-host` is a bracketed IP literal or a registered name
/// (unreserved characters, percent-escapes and sub-delimiters) and `port` is decimal digits.
///
/// Like nginx, an empty value, userinfo (`@`), a path (`/`, `\`), a query, a fragment, spaces and
/// bytes outside ASCII are refused.
enum HostValidation {
    /// True when `value` (already stripped of surrounding whitespace) is a valid Host value.
    static func isValid(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let first = value.first else { return false }
        var index = 0
        if first == UInt8(ascii: "[") {
            guard let close = value.firstIndex(of: UInt8(ascii: "]")), close > 1 else { return false }
            for byte in value[1..<close] where !isIPLiteralByte(byte) { return false }
            index = close + 1
        } else {
            while index < value.count && value[index] != ASCII.colon {
                if !isRegisteredNameByte(value[index]) { return false }
                index += 1
            }
            if index == 0 { return false }
        }
        guard index < value.count else { return true }
        guard value[index] == ASCII.colon else { return false }
        for byte in value[(index + 1)...] where !(48...57).contains(byte) { return false }
        return true
    }

    /// unreserved / pct-encoded / sub-delims, indexed by byte (the '%' escapes are allowed, not decoded).
    private static let registeredNameTable: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("-._~%!$&'()*+,;=".utf8).contains(byte)
        }
    }

    @inline(__always) private static func isRegisteredNameByte(_ byte: UInt8) -> Bool {
        registeredNameTable[Int(byte)]
    }

    /// Hex digits, ':' and '.' (IPv6 and IPv4-in-IPv6), and the `v…` IPvFuture characters.
    @inline(__always) private static func isIPLiteralByte(_ byte: UInt8) -> Bool {
        isRegisteredNameByte(byte) || byte == ASCII.colon
    }
}
