import CCurl
import CCurlShim

/// The mutable state of one transfer, reached from libcurl's C callbacks through an `Unmanaged` pointer.
///
/// Confined to the thread running `curl_easy_perform`: libcurl calls the callbacks on that thread only.
final class CurlTransfer {
    /// Bytes still to upload, one element per read-callback call (each becomes one chunk when chunked).
    private var uploadParts: [[UInt8]]
    private var uploadPartIndex = 0
    private var uploadPartOffset = 0

    /// Called with each piece of body as it arrives; returning false stops the transfer.
    private let onChunk: (([UInt8]) -> Bool)?

    private(set) var body: [UInt8] = []
    private(set) var headers: [CurlHeaderField] = []
    private(set) var interimStatuses: [Int] = []
    private(set) var status = 0
    private(set) var stoppedByClient = false

    init(uploadParts: [[UInt8]], onChunk: (([UInt8]) -> Bool)?) {
        self.uploadParts = uploadParts.filter { !$0.isEmpty }
        self.onChunk = onChunk
    }

    /// The opaque pointer handed to libcurl as WRITEDATA / READDATA / HEADERDATA.
    var opaque: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> CurlTransfer? {
        guard let opaque else { return nil }
        return Unmanaged<CurlTransfer>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// Appends received body bytes; returns the count consumed (short = abort).
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let piece = [UInt8](bytes)
        body.append(contentsOf: piece)
        if let onChunk, !onChunk(piece) {
            stoppedByClient = true
            return 0
        }
        return bytes.count
    }

    /// Records one header line (status line, field line, or the blank line ending a header section).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == 10 || bytes[end - 1] == 13) { end -= 1 }
        let line = String(decoding: bytes[..<end], as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            if status >= 100 && status < 200 { interimStatuses.append(status) }
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
            headers = []
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers.append(CurlHeaderField(name: name, value: value))
        }
        return bytes.count
    }

    /// Fills `buffer` with upload bytes; returns 0 at the end of the body.
    func sendBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard uploadPartIndex < uploadParts.count, buffer.count > 0 else { return 0 }
        let part = uploadParts[uploadPartIndex]
        let count = min(buffer.count, part.count - uploadPartOffset)
        part.withUnsafeBytes { source in
            let slice = UnsafeRawBufferPointer(rebasing: source[uploadPartOffset..<uploadPartOffset + count])
            buffer.copyMemory(from: slice)
        }
        uploadPartOffset += count
        if uploadPartOffset == part.count {
            uploadPartIndex += 1
            uploadPartOffset = 0
        }
        return count
    }

    /// Installs the write, read, and header callbacks and their user data on `handle`.
    func install(on handle: UnsafeMutableRawPointer) -> CURLcode {
        var result = slw_setopt_write_function(handle) { buffer, size, count, user in
            guard let buffer, let transfer = CurlTransfer.from(user) else { return 0 }
            return transfer.receiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }
        if result != CURLE_OK { return result }
        result = slw_setopt_header_function(handle) { buffer, size, count, user in
            guard let buffer, let transfer = CurlTransfer.from(user) else { return 0 }
            return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }
        if result != CURLE_OK { return result }
        result = slw_setopt_read_function(handle) { buffer, size, count, user in
            guard let buffer, let transfer = CurlTransfer.from(user) else { return slw_readfunc_abort() }
            return transfer.sendBody(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
        }
        if result != CURLE_OK { return result }
        for option in [CURLOPT_WRITEDATA, CURLOPT_HEADERDATA, CURLOPT_READDATA] {
            result = slw_setopt_ptr(handle, option, opaque)
            if result != CURLE_OK { return result }
        }
        return CURLE_OK
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        var view = self[...]
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
