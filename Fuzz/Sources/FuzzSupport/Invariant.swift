#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks an invariant of a fuzz target: when `condition` is false, prints `message` to stderr and
/// aborts, which libFuzzer reports as a crash and saves the input as a `crash-*` file.
/// - Parameters:
///   - condition: the invariant.
///   - message: what broke, built only when it did.
public func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    let line = Array("fuzz invariant broken: \(message())\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// `bytes` as text for a failure message: printable ASCII as is, everything else as `\xNN`, cut after
/// `limit` bytes.
public func shown(_ bytes: some Collection<UInt8>, limit: Int = 300) -> String {
    var text = ""
    for byte in bytes.prefix(limit) {
        if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
            text.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            let hex = String(byte, radix: 16)
            text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return bytes.count > limit ? text + "…(\(bytes.count) bytes)" : text
}
