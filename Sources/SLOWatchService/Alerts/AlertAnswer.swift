/// Reads the parts of an HTTP/1.x answer the forwarder needs.
enum AlertAnswer {
    /// The status code once the whole status line (`HTTP/1.1 200 OK\r\n`) has arrived, else nil.
    static func status(_ answer: [UInt8]) -> Int? {
        guard let end = answer.firstIndex(of: UInt8(ascii: "\n")), end >= 12 else { return nil }
        let prefix = Array("HTTP/1.".utf8)
        guard answer.starts(with: prefix), answer[8] == UInt8(ascii: " ") else { return nil }
        let digits = answer[9..<12]
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// The first 200 characters of the body, on one line, for the log.
    static func bodyExcerpt(_ answer: [UInt8]) -> String {
        let separator = Array("\r\n\r\n".utf8)
        guard let start = answer.indices.first(where: { answer[$0...].starts(with: separator) }) else {
            return ""
        }
        let body = String(decoding: answer[(start + 4)...], as: UTF8.self)
        let line = body.split(whereSeparator: \.isNewline).joined(separator: " ")
        let trimmed = line.trimmingCharacters(in: " \t")
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }
}

extension String {
    /// The text without leading and trailing characters from `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
