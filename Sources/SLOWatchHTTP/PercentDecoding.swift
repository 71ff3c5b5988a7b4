/// Percent-decoding of paths and query strings.
enum PercentDecoding {
    /// Splits a request-target at the first '?': (path, query). The query excludes the '?'.
    static func splitTarget(_ target: String) -> (path: String, query: Substring) {
        guard let mark = target.utf8.firstIndex(of: ASCII.question) else { return (target, "") }
        let after = target.utf8.index(after: mark)
        return (String(target[..<mark]), target[after...])
    }

    /// Decodes `%XX` escapes; nil when an escape is not two hex digits. With `plusAsSpace`, '+' is ' '.
    static func decode<S: StringProtocol>(_ text: S, plusAsSpace: Bool = false) -> String? {
        var text = String(text)
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0), plusAsSpace: plusAsSpace) }
    }

    /// Decodes `%XX` escapes in bytes; nil when an escape is not two hex digits.
    static func decode(_ bytes: UnsafeRawBufferPointer, plusAsSpace: Bool = false) -> String? {
        if !bytes.contains(ASCII.percent) && !(plusAsSpace && bytes.contains(UInt8(ascii: "+"))) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return decodeBytes(bytes, plusAsSpace: plusAsSpace).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Decodes a request path strictly: a '%' not followed by two hex digits, a decoded control byte
    /// (such as `%00` or `%0D`), or decoded bytes that are not UTF-8 (such as `%FF`, or the overlong
    /// `%C0%AF`) are a 400 naming the rule; nothing is replaced or normalized.
    static func decodePath(_ bytes: UnsafeRawBufferPointer) -> Result<String, HTTPParseError> {
        // The request line holds printable ASCII only, so a path without '%' is already valid.
        let sent = String(decoding: bytes, as: UTF8.self)
        guard bytes.contains(ASCII.percent) else { return .success(sent) }
        guard let decoded = decodeBytes(bytes) else {
            return .failure(
                .badRequest("The request path \"\(sent)\" has a '%' that is not followed by two hex digits."))
        }
        if decoded.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return .failure(
                .badRequest(
                    "The request path \"\(sent)\" decodes to a control character (such as %00 or %0D), "
                        + "which a path may not hold."))
        }
        guard let path = String(validating: decoded, as: UTF8.self) else {
            return .failure(
                .badRequest("The request path \"\(sent)\" is not valid UTF-8 once its %-escapes are decoded.")
            )
        }
        return .success(path)
    }

    /// The bytes of `bytes` with each `%XX` decoded (and, with `plusAsSpace`, each '+' read as a space);
    /// nil when a '%' is not followed by two hex digits.
    private static func decodeBytes(_ bytes: UnsafeRawBufferPointer, plusAsSpace: Bool = false) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == ASCII.percent else {
                out.append(plusAsSpace && byte == UInt8(ascii: "+") ? ASCII.space : byte)
                index += 1
                continue
            }
            guard index + 2 < bytes.count, let high = ASCII.hexValue(bytes[index + 1]),
                let low = ASCII.hexValue(bytes[index + 2])
            else { return nil }
            out.append(high << 4 | low)
            index += 3
        }
        return out
    }

    /// Parses the query of a received request (the bytes after '?') into ordered, decoded pairs, with
    /// '+' read as a space and empty parameters (`a&&b`) skipped. A '%' not followed by two hex digits
    /// in a name or a value is a 400 naming the parameter when `strict`, and kept as sent otherwise.
    static func parseQuery(_ bytes: UnsafeRawBufferPointer, strict: Bool = true) -> Result<
        [(name: String, value: String)], HTTPParseError
    > {
        var result: [(name: String, value: String)] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                var equals = start
                while equals < end && bytes[equals] != UInt8(ascii: "=") { equals += 1 }
                let rawName = UnsafeRawBufferPointer(rebasing: bytes[start..<equals])
                let rawValue = UnsafeRawBufferPointer(rebasing: bytes[min(equals + 1, end)..<end])
                let asSent = { (raw: UnsafeRawBufferPointer) in String(decoding: raw, as: UTF8.self) }
                guard let name = decode(rawName, plusAsSpace: true) ?? (strict ? nil : asSent(rawName)) else {
                    return .failure(invalidEscape(name: asSent(rawName), in: "name"))
                }
                guard let value = decode(rawValue, plusAsSpace: true) ?? (strict ? nil : asSent(rawValue))
                else {
                    return .failure(invalidEscape(name: name, in: "value"))
                }
                result.append((name, value))
            }
            start = end + 1
        }
        return .success(result)
    }

    private static func invalidEscape(name: String, in part: String) -> HTTPParseError {
        .badRequest(
            "The \(part) of the query parameter \"\(name)\" has a '%' that is not followed by two hex digits."
        )
    }

    /// Parses `a=1&b=x+y` into ordered, decoded pairs; a malformed escape is kept as sent (for requests
    /// a program builds itself; the server refuses such a query with 400 instead).
    static func parseQuery<S: StringProtocol>(_ text: S) -> [(name: String, value: String)] {
        var query = String(text)
        return query.withUTF8 { bytes in
            // Not strict, so it cannot fail.
            (try? parseQuery(UnsafeRawBufferPointer(bytes), strict: false).get()) ?? []
        }
    }
}
