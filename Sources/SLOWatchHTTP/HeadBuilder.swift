/// Validates the request line and header fields of one complete head (RFC 9112 sections 3 and 5).
struct HeadBuilder {
    var method = HTTPMethod.get
    var target = ""
    var pathRange = 0..<0
    var queryStart: Int?
    var version = HTTPVersion.http1_1
    var storage: [UInt8] = []
    var fields: [HTTPHeaders.Field] = []
    var hostCount = 0
    var contentLength: Int?
    var hasContentLength = false
    var codings: [Substring] = []
    var hasTransferEncoding = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectContinue = false
    var expectUnsupported = false

    /// Parses `method SP request-target SP HTTP-version`; nil when valid.
    mutating func parseRequestLine(_ line: UnsafeRawBufferPointer) -> HTTPParseError? {
        for byte in line where byte <= 0x20 && byte != ASCII.space || byte >= 0x7F {
            return .badRequest("The request line contains a control character or a byte outside ASCII.")
        }
        guard let firstSpace = line.firstIndex(of: ASCII.space),
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: ASCII.space),
            !line[(secondSpace + 1)...].contains(ASCII.space)
        else {
            return .badRequest(
                "The request line must be a method, a target and a version separated by single spaces.")
        }
        let versionBytes = UnsafeRawBufferPointer(rebasing: line[(secondSpace + 1)...])
        if let error = parseVersion(versionBytes) { return error }
        let methodBytes = UnsafeRawBufferPointer(rebasing: line[..<firstSpace])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(ASCII.isToken) else {
            return .badRequest("The request method is not a valid token.")
        }
        method = HTTPMethod(token: methodBytes)
        let targetBytes = UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        return parseTarget(targetBytes)
    }

    private mutating func parseVersion(_ bytes: UnsafeRawBufferPointer) -> HTTPParseError? {
        // Bytes only on the hot path; the text is built for an error message alone.
        let isDigit = { (byte: UInt8) in (48...57).contains(byte) }
        guard bytes.count == 8, bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"),
            bytes[2] == UInt8(ascii: "T"), bytes[3] == UInt8(ascii: "P"), bytes[4] == ASCII.slash,
            isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), isDigit(bytes[7])
        else { return .badRequest("The HTTP version \"\(Self.text(bytes))\" is not of the form HTTP/1.x.") }
        switch bytes[5] {
        case UInt8(ascii: "1"): version = bytes[7] == UInt8(ascii: "0") ? .http1_0 : .http1_1
        case UInt8(ascii: "2")...UInt8(ascii: "9"): return .versionNotSupported(Self.text(bytes))
        default: return .badRequest("The HTTP version \"\(Self.text(bytes))\" is not of the form HTTP/1.x.")
        }
        return nil
    }

    /// `bytes` as text, for error messages.
    private static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private mutating func parseTarget(_ bytes: UnsafeRawBufferPointer) -> HTTPParseError? {
        guard !bytes.isEmpty else { return .badRequest("The request target is empty.") }
        target = String(decoding: bytes, as: UTF8.self)
        if bytes.contains(UInt8(ascii: "#")) {
            return .badRequest(
                "The request target \"\(target)\" has a fragment ('#'); a request never carries one "
                    + "(RFC 9112 section 3.2).")
        }
        var pathStart: Int
        if bytes[0] == ASCII.slash {
            pathStart = 0
        } else if bytes.count == 1 && bytes[0] == UInt8(ascii: "*") {
            guard method == .options else {
                return .badRequest("The request target \"*\" is only allowed with OPTIONS.")
            }
            pathRange = 0..<1
            return nil
        } else if let authorityStart = Self.absoluteFormAuthority(bytes) {
            pathStart = authorityStart
            while pathStart < bytes.count && bytes[pathStart] != ASCII.slash
                && bytes[pathStart] != ASCII.question
            {
                pathStart += 1
            }
            guard pathStart > authorityStart else {
                return .badRequest("The absolute-form request target \"\(target)\" has no host.")
            }
            if bytes[authorityStart..<pathStart].contains(UInt8(ascii: "@")) {
                return .badRequest(
                    "The absolute-form request target \"\(target)\" has userinfo ('@'), which an http URI "
                        + "may not carry (RFC 9110 section 4.2.4).")
            }
        } else {
            return .badRequest(
                "The request target \"\(target)\" is not an origin-form path starting with '/'.")
        }
        var pathEnd = pathStart
        while pathEnd < bytes.count && bytes[pathEnd] != ASCII.question { pathEnd += 1 }
        pathRange = pathStart..<pathEnd
        queryStart = pathEnd < bytes.count ? pathEnd + 1 : nil
        return nil
    }

    /// The offset after "http://" or "https://" (any case), or nil.
    private static func absoluteFormAuthority(_ bytes: UnsafeRawBufferPointer) -> Int? {
        for scheme: StaticString in ["http://", "https://"] {
            let length = scheme.utf8CodeUnitCount
            if bytes.count >= length
                && ASCII.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: bytes[0..<length]), scheme)
            {
                return length
            }
        }
        return nil
    }
}
