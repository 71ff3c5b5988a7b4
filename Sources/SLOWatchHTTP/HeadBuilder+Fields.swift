extension HeadBuilder {
    /// Parses the field lines of `section` (each ending with CRLF); nil when valid.
    /// `fieldCount` is the number of field lines, so the field array is allocated once.
    mutating func parseFields(_ section: UnsafeRawBufferPointer, fieldCount: Int) -> HTTPParseError? {
        storage = Array(section)
        fields.reserveCapacity(fieldCount)
        var lineStart = 0
        while lineStart < section.count {
            var lineEnd = lineStart
            while lineEnd < section.count && section[lineEnd] != ASCII.cr { lineEnd += 1 }
            guard lineEnd > lineStart, lineEnd < section.count else {
                return .badRequest("A header line is empty or does not end with CRLF.")
            }
            let first = section[lineStart]
            if first == ASCII.space || first == ASCII.tab {
                return .badRequest(
                    "A header line starts with whitespace (obsolete line folding is not allowed).")
            }
            var colon = lineStart
            while colon < lineEnd && section[colon] != ASCII.colon {
                let byte = section[colon]
                if byte == ASCII.space || byte == ASCII.tab {
                    return .badRequest("A header field name is followed by whitespace before the colon.")
                }
                if !ASCII.isToken(byte) { return .badRequest("A header field name is not a valid token.") }
                colon += 1
            }
            guard colon < lineEnd else { return .badRequest("A header line has no colon.") }
            guard colon > lineStart else { return .badRequest("A header field name is empty.") }
            var valueStart = colon + 1
            while valueStart < lineEnd
                && (section[valueStart] == ASCII.space || section[valueStart] == ASCII.tab)
            {
                valueStart += 1
            }
            var valueEnd = lineEnd
            while valueEnd > valueStart
                && (section[valueEnd - 1] == ASCII.space || section[valueEnd - 1] == ASCII.tab)
            {
                valueEnd -= 1
            }
            for index in valueStart..<valueEnd where !ASCII.isFieldValue(section[index]) {
                return .badRequest("A header field value contains a control character.")
            }
            fields.append(
                HTTPHeaders.Field(
                    nameStart: Int32(lineStart), nameEnd: Int32(colon), valueStart: Int32(valueStart),
                    valueEnd: Int32(valueEnd)))
            let name = UnsafeRawBufferPointer(rebasing: section[lineStart..<colon])
            let value = UnsafeRawBufferPointer(rebasing: section[valueStart..<valueEnd])
            if let error = inspect(name: name, value: value) { return error }
            lineStart = lineEnd + 2
        }
        return nil
    }

    /// Records the fields that affect framing and connection handling.
    private mutating func inspect(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
        -> HTTPParseError?
    {
        switch name.count {
        case 4 where ASCII.equalsIgnoringCase(name, "host"):
            hostCount += 1
            if !HostValidation.isValid(value) {
                return .badRequest(
                    "The Host header \"\(String(decoding: value, as: UTF8.self))\" is not a host name or "
                        + "IP address with an optional numeric port.")
            }
        case 14 where ASCII.equalsIgnoringCase(name, "content-length"):
            return addContentLength(value)
        case 17 where ASCII.equalsIgnoringCase(name, "transfer-encoding"):
            hasTransferEncoding = true
            let text = String(decoding: value, as: UTF8.self)
            for element in text.split(separator: ",", omittingEmptySubsequences: false) {
                let coding = element.trimmingSpaces()
                if !coding.isEmpty { codings.append(coding) }
            }
        case 10 where ASCII.equalsIgnoringCase(name, "connection"):
            Self.forEachListElement(value) { option in
                if ASCII.equalsIgnoringCase(option, "close") { connectionClose = true }
                if ASCII.equalsIgnoringCase(option, "keep-alive") { connectionKeepAlive = true }
                return true
            }
        case 6 where ASCII.equalsIgnoringCase(name, "expect"):
            if ASCII.equalsIgnoringCase(value, "100-continue") {
                expectContinue = true
            } else if !value.isEmpty {
                // Anything else (another token, or a list) is an expectation this server cannot meet.
                expectUnsupported = true
            }
        default:
            break
        }
        return nil
    }

    /// Adds a Content-Length value (possibly a list); every element must be the same plain decimal.
    /// Parsed from the bytes: no `String` or array per request.
    private mutating func addContentLength(_ value: UnsafeRawBufferPointer) -> HTTPParseError? {
        hasContentLength = true
        var error: HTTPParseError?
        Self.forEachListElement(value, keepingEmpty: true) { digits in
            // At most 18 digits, so the value fits in an Int without overflow checks.
            guard !digits.isEmpty, digits.count <= 18 else {
                error = Self.invalidContentLength(value)
                return false
            }
            var length = 0
            for byte in digits {
                guard byte >= 48 && byte <= 57 else {
                    error = Self.invalidContentLength(value)
                    return false
                }
                length = length * 10 + Int(byte - 48)
            }
            if let previous = contentLength, previous != length {
                error = .badRequest(
                    "The request has Content-Length values that differ (\(previous) and \(length)).")
                return false
            }
            contentLength = length
            return true
        }
        return error
    }

    private static func invalidContentLength(_ value: UnsafeRawBufferPointer) -> HTTPParseError {
        .badRequest(
            "The Content-Length \"\(String(decoding: value, as: UTF8.self))\" is not a plain decimal number of bytes."
        )
    }

    /// Calls `body` with each comma-separated element of a field value, without surrounding spaces
    /// and tabs, until it returns false. Empty elements are skipped unless `keepingEmpty`.
    private static func forEachListElement(
        _ value: UnsafeRawBufferPointer, keepingEmpty: Bool = false,
        _ body: (UnsafeRawBufferPointer) -> Bool
    ) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count && value[end] != UInt8(ascii: ",") { end += 1 }
            var low = start
            var high = end
            while low < high && (value[low] == ASCII.space || value[low] == ASCII.tab) { low += 1 }
            while high > low && (value[high - 1] == ASCII.space || value[high - 1] == ASCII.tab) { high -= 1 }
            if low < high || keepingEmpty {
                if !body(UnsafeRawBufferPointer(rebasing: value[low..<high])) { return }
            }
            start = end + 1
        }
    }

    /// Applies the rules that need every field: Host, framing, persistence.
    func finish() -> Result<RequestHead, HTTPParseError> {
        if hostCount > 1 { return .failure(.badRequest("The request has more than one Host header.")) }
        if version == .http1_1 && hostCount == 0 {
            return .failure(.badRequest("An HTTP/1.1 request must have a Host header."))
        }
        var framing = BodyFraming.none
        if hasTransferEncoding && version == .http1_0 {
            // RFC 9112 section 6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
            return .failure(
                .badRequest("An HTTP/1.0 request cannot use Transfer-Encoding; its framing is not trusted."))
        }
        if hasTransferEncoding {
            if hasContentLength {
                return .failure(.badRequest("The request has both Transfer-Encoding and Content-Length."))
            }
            if let error = validateCodings() { return .failure(error) }
            framing = .chunked
        } else if hasContentLength {
            framing = .contentLength(contentLength ?? 0)
        }
        let keepAlive =
            version == .http1_1
            ? !connectionClose : connectionKeepAlive && !connectionClose
        let headers = HTTPHeaders(storage: storage, fields: fields)
        return .success(
            RequestHead(
                method: method, target: target, pathRange: pathRange, queryStart: queryStart,
                version: version,
                headers: headers, framing: framing, keepAlive: keepAlive,
                expectContinue: expectContinue && version == .http1_1,
                expectationFailed: expectUnsupported))
    }

    /// Only `chunked`, once and last, is implemented: 400 when chunked is misplaced, 501 otherwise.
    private func validateCodings() -> HTTPParseError? {
        let names = codings.map {
            $0.split(separator: ";").first.map { $0.trimmingSpaces().lowercased() } ?? ""
        }
        guard !names.isEmpty else { return .badRequest("The Transfer-Encoding header is empty.") }
        for (name, coding) in zip(names, codings) where name == "chunked" && coding.contains(";") {
            return .badRequest(
                "The transfer coding \"\(coding)\" has parameters; chunked takes none (RFC 9112 section 7).")
        }
        if names == ["chunked"] { return nil }
        if names.dropLast().contains("chunked") {
            return .badRequest("The chunked transfer coding must be applied once and last.")
        }
        let unknown = names.first { $0 != "chunked" } ?? ""
        return .notImplemented(
            "The transfer coding \"\(unknown)\" is not supported: this server accepts only chunked.")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (optional whitespace).
    func trimmingSpaces() -> Substring {
        let text = Substring(self)
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = text.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return text[first...last]
    }
}
