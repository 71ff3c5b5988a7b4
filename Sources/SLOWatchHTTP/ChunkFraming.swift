/// Chunked transfer-coding framing.
enum ChunkFraming {
    /// The last chunk with no trailers.
    static let last: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Appends `bytes` as one chunk to `out`: hex size, CRLF, data, CRLF.
    static func appendFramed(_ bytes: [UInt8], to out: inout [UInt8]) {
        appendHex(bytes.count, to: &out)
        out.append(ASCII.cr)
        out.append(ASCII.lf)
        out.append(contentsOf: bytes)
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }

    /// `bytes` as one chunk: hex size, CRLF, data, CRLF.
    static func frame(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(framedCount(bytes.count))
        appendFramed(bytes, to: &out)
        return out
    }

    /// The size of a chunk of `count` payload bytes once framed: hex digits, two CRLFs, the payload.
    static func framedCount(_ count: Int) -> Int {
        let digits = max(1, (Int.bitWidth - count.leadingZeroBitCount + 3) / 4)
        return digits + 4 + count
    }

    static func appendHex(_ value: Int, to out: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4
        if shift < 0 { shift = 0 }
        while shift >= 0 {
            out.append(digits[(value >> shift) & 15])
            shift -= 4
        }
    }
}
