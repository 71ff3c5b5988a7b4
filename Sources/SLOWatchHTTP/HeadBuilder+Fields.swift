extension HeadBuilder {
    /// Parses the field lines of `section` (each ending with CRLF); nil when valid.
    mutating func parseFields(_ section: UnsafeRawBufferPointer) -> HTTPParseError? {
        storage = Array(section)
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
            for element in String(decoding: value, as: UTF8.self).split(separator: ",") {
                let option = element.trimmingSpaces().lowercased()
                if option == "close" { connectionClose = true }
                if option == "keep-alive" { connectionKeepAlive = true }
            }
        case 6 where ASCII.equalsIgnoringCase(name, "expect"):
            if ASCII.equalsIgnoringCase(value, "100-continue") { expectContinue = true }
        default:
            break
        }
        return nil
    }

    /// Adds a Content-Length value (possibly a list); every element must be the same plain decimal.
    private mutating func addContentLength(_ value: UnsafeRawBufferPointer) -> HTTPParseError? {
        hasContentLength = true
        let text = String(decoding: value, as: UTF8.self)
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            let digits = element.trimmingSpaces()
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), digits.utf8.count <= 18,
                let length = Int(digits)
            else {
                return .badRequest("The Content-Length \"\(text)\" is not a plain decimal number of bytes.")
            }
            if let previous = contentLength, previous != length {
                return .badRequest(
                    "The request has Content-Length values that differ (\(previous) and \(length)).")
            }
            contentLength = length
        }
        return nil
    }

    /// Applies the rules that need every field: Host, framing, persistence.
    func finish() -> Result<RequestHead, HTTPParseError> {
        if hostCount > 1 { return .failure(.badRequest("The request has more than one Host header.")) }
        if version == .http1_1 && hostCount == 0 {
            return .failure(.badRequest("An HTTP/1.1 request must have a Host header."))
        }
        var framing = BodyFraming.none
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
            ? !connectionClose : connectionKeepAlive && !connectionClose && !hasTransferEncoding
        let headers = HTTPHeaders(storage: storage, fields: fields)
        return .success(
            RequestHead(
                method: method, target: target, pathRange: pathRange, queryStart: queryStart,
                version: version,
                headers: headers, framing: framing, keepAlive: keepAlive,
                expectContinue: expectContinue && version == .http1_1))
    }

    /// Only `chunked`, once and last, is implemented: 400 when chunked is misplaced, 501 otherwise.
    private func validateCodings() -> HTTPParseError? {
        let names = codings.map {
            $0.split(separator: ";").first.map { $0.trimmingSpaces().lowercased() } ?? ""
        }
        guard !names.isEmpty else { return .badRequest("The Transfer-Encoding header is empty.") }
        if names == ["chunked"] { return nil }
        if names.dropLast().contains("chunked") {
            return .badRequest("The chunked transfer coding must be applied once and last.")
        }
        let unknown = names.first { $0 != "chunked" } ?? ""
        return .notImplemented("The transfer coding \"\(unknown)\" is not implemented; only chunked is.")
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
