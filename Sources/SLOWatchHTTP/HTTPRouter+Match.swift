extension HTTPRouter {
    /// Matches a request; `rawPath` is the path as sent (percent-encoded, without the query).
    func match(method: HTTPMethod, rawPath: UnsafeRawBufferPointer) -> Match {
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let ranges = Self.segmentRanges(route.segments, rawPath) else { continue }
            let chosen =
                route.handlers.first { $0.method == method }
                ?? (method == .head ? route.handlers.first { $0.method == .get } : nil)
            if let chosen {
                return .found(chosen.handler, parameters: Self.parameters(route.segments, ranges, rawPath))
            }
            allowed.append(contentsOf: route.handlers.map(\.method))
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

    /// The byte range of every segment when the path matches the pattern, else nil.
    private static func segmentRanges(_ segments: [Segment], _ path: UnsafeRawBufferPointer) -> [Range<Int>]?
    {
        guard path.first == ASCII.slash else { return nil }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(segments.count)
        var start = 1
        for (index, segment) in segments.enumerated() {
            var end = start
            while end < path.count && path[end] != ASCII.slash { end += 1 }
            let isLast = index == segments.count - 1
            if isLast != (end == path.count) { return nil }
            let raw = UnsafeRawBufferPointer(rebasing: path[start..<end])
            switch segment {
            case .literal(let literal):
                if !equal(raw, literal) { return nil }
            case .parameter:
                if raw.isEmpty { return nil }
            }
            ranges.append(start..<end)
            start = end + 1
        }
        return ranges
    }

    private static func equal(_ raw: UnsafeRawBufferPointer, _ literal: [UInt8]) -> Bool {
        if raw.count == literal.count && raw.elementsEqual(literal) { return true }
        guard raw.contains(ASCII.percent), let decoded = PercentDecoding.decode(raw) else { return false }
        return decoded.utf8.elementsEqual(literal)
    }

    private static func parameters(
        _ segments: [Segment], _ ranges: [Range<Int>], _ path: UnsafeRawBufferPointer
    ) -> [String: String] {
        var result: [String: String] = [:]
        for (segment, range) in zip(segments, ranges) {
            guard case .parameter(let name) = segment else { continue }
            let raw = UnsafeRawBufferPointer(rebasing: path[range])
            result[name] = PercentDecoding.decode(raw) ?? String(decoding: raw, as: UTF8.self)
        }
        return result
    }
}
