import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A single-pass scanner for the shapes `POST /samples` bodies almost always take, straight from the
/// body's bytes to a ``SampleBatch``, without building a JSON tree.
///
/// It accepts a strict subset of what ``SampleBatchDecoder`` accepts, and gives the identical batch
/// (numbers to the bit) for all of it:
/// - `{"metric":…,"value":…,"timestamp":…}` or `{"samples":[…]}` whose only member is `samples`;
/// - members `metric`, `value` and `timestamp` in any order, each at most once, `timestamp` optional;
/// - metric names written without escapes that follow the core's name rule; numbers in RFC 8259's
///   grammar, finite, with timestamps of at least 10^11 ms (others go to the
///   decoder for their 400); JSON whitespace anywhere between tokens.
///
/// For anything else (an unknown or repeated member, an escape, `null`, another type, a rule broken,
/// malformed JSON) it returns nil, and the general decoder decides, with its precise message. The
/// scanner never rejects, so it cannot turn an accepted body into an error or change an error's text.
/// `SampleDecoderDifferentialTests` checks the equivalence on generated and mutated bodies.
///
/// The usual layout, `{"metric":"…","value":…,"timestamp":…}` without whitespace, is read by
/// ``scanCompactSample()``, which compares the member names as words and converts the numbers as they
/// are scanned (``CompactNumber``); any other layout takes the general member loop.
struct SampleBodyScanner {
    /// Scans `body`.
    /// - Parameter cache: the calling thread's resolved names: with one, a name it holds costs no
    ///   `String`, and the batch's ``SampleBatch/handles`` say which names it held.
    /// - Returns: the batch, or nil when the body is outside the scanner's subset.
    static func scan(_ body: [UInt8], cache: SampleHandleCache? = nil) -> SampleBatch? {
        let names = cache?.table
        var batch = body.withUnsafeBufferPointer { buffer in
            var scanner = SampleBodyScanner(bytes: buffer, cache: names)
            return scanner.scanDocument()
        }
        if let cache { batch?.handlesVersion = cache.version }
        return batch
    }

    /// A member name the scanner knows.
    private enum Member {
        case metric, value, timestamp, samples
    }

    /// The body (valid for the duration of ``scan(_:cache:)``).
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    private var index = 0
    /// What has been scanned so far.
    private var batch = SampleBatch()
    /// The distinct names met so far, found again by hash and bytes (see ``SampleNameTable``).
    private var names = SampleNameTable()
    /// The thread's resolved names, when the caller passed them.
    private let cache: SampleHandleTable?
    /// The longest name, plus one: a stored copy, so the hot loop reads no other module's global.
    private let nameLimit = MetricName.maximumLength + 1

    private init(bytes: UnsafeBufferPointer<UInt8>, cache: SampleHandleTable?) {
        self.bytes = bytes
        self.cache = cache
    }

    private mutating func scanDocument() -> SampleBatch? {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipWhitespace()
        let firstMember = index
        guard let member = scanMemberName() else { return nil }
        if member == .samples {
            guard scanColon(), scanSampleArray() else { return nil }
            skipWhitespace()
            guard take(UInt8(ascii: "}")) else { return nil }
        } else {
            index = firstMember
            guard scanSampleMembers() else { return nil }
        }
        skipWhitespace()
        guard index == bytes.count else { return nil }
        return batch
    }

    /// Scans `[ sample, … ]`, at most ``SampleBatchDecoder/maximumSamples`` of them.
    private mutating func scanSampleArray() -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return true }
        // The shortest sample, `{"metric":"a","value":1}`, takes 25 bytes: room for every sample the
        // rest of the body can hold, without regrowing.
        batch.samples.reserveCapacity(min((bytes.count - index) / 25 + 1, SampleBatchDecoder.maximumSamples))
        while true {
            skipWhitespace()
            guard take(UInt8(ascii: "{")), batch.count < SampleBatchDecoder.maximumSamples else {
                return false
            }
            skipWhitespace()
            guard scanSampleMembers() else { return false }
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "]"))
        }
    }

    /// Scans the members of a sample object after its `{`, through its `}`, and appends the sample.
    private mutating func scanSampleMembers() -> Bool {
        if let sample = scanCompactSample() {
            batch.samples.append(sample)
            return true
        }
        var metric: Int?
        var value: Double?
        var timestamp: Double?
        while true {
            skipWhitespace()
            guard let member = scanMemberName(), scanColon() else { return false }
            switch member {
            case .metric:
                guard metric == nil, let slot = scanMetricName() else { return false }
                metric = slot
            case .value:
                guard value == nil, let number = scanNumber() else { return false }
                value = number
            case .timestamp:
                guard timestamp == nil, let number = scanNumber(),
                    number >= SampleBatchDecoder.minimumTimestampMilliseconds
                else { return false }
                timestamp = number
            case .samples:
                return false
            }
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            guard take(UInt8(ascii: "}")), let metric, let value else { return false }
            batch.samples.append(SampleBatch.Sample(metric: metric, value: value, timestamp: timestamp))
            return true
        }
    }

    /// Whether `object` (`{…}`, one sample) is read by the compact path of ``scanCompactSample()``
    /// rather than the general member loop; for tests.
    static func readsCompactly(_ object: [UInt8]) -> Bool {
        object.withUnsafeBufferPointer { buffer in
            var scanner = SampleBodyScanner(bytes: buffer, cache: nil)
            guard scanner.take(UInt8(ascii: "{")), scanner.scanCompactSample() != nil else { return false }
            return scanner.index == buffer.count
        }
    }

    /// Scans `"metric":"NAME","value":NUMBER}` or `"metric":"NAME","value":NUMBER,"timestamp":NUMBER}`
    /// with no whitespace, the shape clients write, through its `}`: the member names and separators are
    /// compared as whole words (``CompactWord``) instead of token by token.
    /// - Returns: the sample, or nil with `index` unchanged for any other text, which the general loop
    ///   then reads (and refuses, when it is malformed).
    @inline(__always)
    private mutating func scanCompactSample() -> SampleBatch.Sample? {
        let start = index
        guard take(CompactWord.metric), let metric = scanMetricName(), take(CompactWord.value),
            let value = scanNumber()
        else {
            index = start
            return nil
        }
        if take(UInt8(ascii: "}")) { return SampleBatch.Sample(metric: metric, value: value, timestamp: nil) }
        guard take(CompactWord.timestamp), let timestamp = scanNumber(),
            timestamp >= SampleBatchDecoder.minimumTimestampMilliseconds, take(UInt8(ascii: "}"))
        else {
            index = start
            return nil
        }
        return SampleBatch.Sample(metric: metric, value: value, timestamp: timestamp)
    }

    // MARK: Tokens

    /// Scans a quoted member name this scanner knows; nil for any other.
    ///
    /// The first letter picks the only candidate, which is then compared whole, closing quote included,
    /// so `"metricx"`, an escape or any other name fails the comparison.
    private mutating func scanMemberName() -> Member? {
        guard take(UInt8(ascii: "\"")), index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "m"): return accept("metric\"", as: .metric)
        case UInt8(ascii: "v"): return accept("value\"", as: .value)
        case UInt8(ascii: "t"): return accept("timestamp\"", as: .timestamp)
        case UInt8(ascii: "s"): return accept("samples\"", as: .samples)
        default: return nil
        }
    }

    /// Consumes `word` when the bytes at `index` are exactly it. Always inlined, so each comparison
    /// is of a constant length and compiles to a few word compares.
    @inline(__always)
    private mutating func accept(_ word: StaticString, as member: Member) -> Member? {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count,
            Self.equal(UnsafeBufferPointer(rebasing: bytes[index..<index + count]), word)
        else { return nil }
        index += count
        return member
    }

    /// Scans `:` and the whitespace around it.
    private mutating func scanColon() -> Bool {
        skipWhitespace()
        guard take(UInt8(ascii: ":")) else { return false }
        skipWhitespace()
        return true
    }

    /// Scans a quoted metric name without escapes that follows the core's rule.
    /// - Returns: its index in `batch.metrics` (added when new), or nil.
    private mutating func scanMetricName() -> Int? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        let limit = min(bytes.count, start + nameLimit)
        let end = SWARScan.firstQuote(in: bytes, from: start, before: limit)
        index = end
        guard end < limit else { return nil }
        let name = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        // A name is checked once per body, when it is first met. The rule admits only letters, digits
        // and `_.:-`, so a name that follows it has no escape, control byte or non-ASCII byte, and reads
        // the same as the general parser would read it.
        return names.slot(for: name, in: &batch, cache: cache, admitting: MetricName.isValid(bytes:))
    }

    /// Scans a number in RFC 8259's grammar and converts it with correct rounding: the usual form in
    /// one pass (``CompactNumber``), anything else through its text.
    /// - Returns: the value, or nil for malformed text or a value that overflows a Double.
    @inline(__always)
    private mutating func scanNumber() -> Double? {
        if let base = bytes.baseAddress, let number = CompactNumber.read(base, from: index, end: bytes.count)
        {
            index = number.end
            return number.value
        }
        return scanNumberText()
    }

    /// Scans a number in RFC 8259's grammar and converts its text with ``JSONNumberText``.
    /// - Returns: the value, or nil for malformed text or a value that overflows a Double.
    private mutating func scanNumberText() -> Double? {
        let start = index
        _ = take(UInt8(ascii: "-"))
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { return nil }
        } else {
            skipDigits()
        }
        if take(UInt8(ascii: ".")) {
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            skipDigits()
        }
        // The C library's correctly rounded conversion behind the exact fast path, as in the general
        // parser, on the bounded slice whose grammar was just checked.
        return JSONNumberText.double(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    // MARK: Bytes

    /// Whether `bytes` are exactly `word`'s bytes.
    @inline(__always)
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard let base = bytes.baseAddress, bytes.count == word.utf8CodeUnitCount else { return false }
        return memcmp(base, word.utf8Start, bytes.count) == 0
    }

    /// Consumes `word` when the bytes at `index` are exactly it: two 8-byte loads, no loop.
    @inline(__always)
    private mutating func take(_ word: CompactWord) -> Bool {
        guard bytes.count - index >= word.count, let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        guard UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) == word.first,
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index + word.count - 8, as: UInt64.self))
                == word.last
        else { return false }
        index += word.count
        return true
    }

    /// Consumes `byte` when it is next.
    @inline(__always)
    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Skips JSON whitespace. (The hot loops work on a local copy of `index`, which the optimiser keeps
    /// in a register; a stored property would be written back on every byte.)
    @inline(__always)
    private mutating func skipWhitespace() {
        var next = index
        // Compact bodies have no whitespace: one test. Indented ones skip runs of spaces 8 at a time.
        guard next < bytes.count, bytes[next] <= 0x20 else { return }
        while true {
            next = SWARScan.firstNonSpace(in: bytes, from: next)
            guard next < bytes.count, case let byte = bytes[next],
                byte == 0x09 || byte == 0x0A || byte == 0x0D
            else { break }
            next += 1
        }
        index = next
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Skips a run of ASCII digits, 8 bytes at a time (``SWARScan/firstNonDigit(in:from:)``).
    @inline(__always)
    private mutating func skipDigits() {
        index = SWARScan.firstNonDigit(in: bytes, from: index)
    }
}
