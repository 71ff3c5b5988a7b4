#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPRouter {
    /// Matches a request; `rawPath` is the path as sent (percent-encoded, without the query).
    func match(method: HTTPMethod, rawPath: UnsafeRawBufferPointer) -> Match {
        var allowed: [HTTPMethod] = []
        // By index, so that routes that do not match are read in place rather than copied (a copy
        // retains and releases each route's arrays).
        for index in routes.indices {
            guard Self.matches(routes[index].segments, rawPath) else { continue }
            let handlers = routes[index].handlers
            let chosen =
                handlers.first { $0.method == method }
                ?? (method == .head ? handlers.first { $0.method == .get } : nil)
            if let chosen {
                return .found(chosen.handler, parameters: Self.parameters(routes[index].segments, rawPath))
            }
            allowed.append(contentsOf: handlers.map(\.method))
        }
        if allowed.isEmpty { return .notFound }
        if allowed.contains(.get) && !allowed.contains(.head) { allowed.append(.head) }
        let names = Set(allowed.map(\.rawValue)).sorted()
        return .methodNotAllowed(allow: names.joined(separator: ", "))
    }

    /// Matches a request given as text (for tests and callers without a byte buffer).
    func match(method: HTTPMethod, rawPath: String) -> Match {
        var path = rawPath
        return path.withUTF8 { match(method: method, rawPath: UnsafeRawBufferPointer($0)) }
    }

    /// Calls `body` with each segment of `path` (after its leading '/') and the pattern segment it
    /// lines up with, until `body` returns false; returns false when the segment counts differ or
    /// `body` did. Walks the bytes in place: no array per request.
    private static func walk(
        _ segments: [Segment], _ path: UnsafeRawBufferPointer,
        _ body: (Segment, UnsafeRawBufferPointer) -> Bool
    ) -> Bool {
        guard path.first == ASCII.slash else { return false }
        var start = 1
        for (index, segment) in segments.enumerated() {
            var end = start
            while end < path.count && path[end] != ASCII.slash { end += 1 }
            let isLast = index == segments.count - 1
            if isLast != (end == path.count) { return false }
            if !body(segment, UnsafeRawBufferPointer(rebasing: path[start..<end])) { return false }
            start = end + 1
        }
        return true
    }

    /// True when the path matches the pattern.
    private static func matches(_ segments: [Segment], _ path: UnsafeRawBufferPointer) -> Bool {
        walk(segments, path) { segment, raw in
            switch segment {
            case .literal(let literal): equal(raw, literal)
            case .parameter: !raw.isEmpty
            }
        }
    }

    private static func equal(_ raw: UnsafeRawBufferPointer, _ literal: [UInt8]) -> Bool {
        if raw.count == literal.count {
            let same = literal.withUnsafeBytes { bytes in
                guard let left = raw.baseAddress, let right = bytes.baseAddress else { return true }
                return memcmp(left, right, raw.count) == 0
            }
            if same { return true }
        }
        guard raw.contains(ASCII.percent), let decoded = PercentDecoding.decode(raw) else { return false }
        return decoded.utf8.elementsEqual(literal)
    }

    /// The decoded `:name` parameters of a path that matches the pattern (empty, with no allocation,
    /// for a pattern without parameters).
    private static func parameters(_ segments: [Segment], _ path: UnsafeRawBufferPointer) -> [String: String]
    {
        var result: [String: String] = [:]
        _ = walk(segments, path) { segment, raw in
            if case .parameter(let name) = segment {
                result[name] = PercentDecoding.decode(raw) ?? String(decoding: raw, as: UTF8.self)
            }
            return true
        }
        return result
    }
}
