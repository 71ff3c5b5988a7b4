import SLOWatchHTTP

/// Reads the JSON body of a request: the `Content-Type` check (415) and the strict parse (400
/// `invalid_json`) that every route taking a body shares.
enum JSONRequestBody {
    /// The media type the API reads, lowercase.
    static let mediaType: StaticString = "application/json"

    /// Whether the bytes of a `Content-Type` value name `application/json`: the media type before any
    /// `;`, without surrounding spaces and tabs, in any letter case. Reads the header's bytes in place.
    static func isJSON(_ contentType: UnsafeBufferPointer<UInt8>?) -> Bool {
        names(contentType, mediaType)
    }

    /// Whether the bytes of a `Content-Type` value name `mediaType` (lowercase): the media type before
    /// any `;` (parameters such as `charset` are allowed), without surrounding spaces and tabs, in any
    /// letter case.
    static func names(_ contentType: UnsafeBufferPointer<UInt8>?, _ mediaType: StaticString) -> Bool {
        guard let contentType else { return false }
        var end = contentType.firstIndex(of: UInt8(ascii: ";")) ?? contentType.count
        var start = 0
        while start < end, isSpaceOrTab(contentType[start]) { start += 1 }
        while end > start, isSpaceOrTab(contentType[end - 1]) { end -= 1 }
        guard end - start == mediaType.utf8CodeUnitCount else { return false }
        for offset in 0..<(end - start)
        where lowercased(contentType[start + offset]) != mediaType.utf8Start[offset] {
            return false
        }
        return true
    }

    /// Throws 415 `unsupported_media_type` unless the request says its body is `application/json`.
    static func checkContentType(_ request: HTTPRequest) throws(APIError) {
        guard request.headers.withFirstValue("Content-Type", isJSON) else {
            throw .unsupportedMediaType(request.headers["Content-Type"], expected: "\(mediaType)")
        }
    }

    /// Checks the content type and parses the body.
    /// - Throws: 415 for another content type; 400 `invalid_json` (with the byte offset of the first
    ///   problem) for a body that is not strict JSON.
    static func parse(_ request: HTTPRequest) throws(APIError) -> JSONValue {
        try checkContentType(request)
        return try parse(request.body)
    }

    /// Parses `body` as strict JSON.
    /// - Throws: 400 `invalid_json` naming the byte offset and what is wrong there.
    static func parse(_ body: [UInt8]) throws(APIError) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw .invalidJSON("The body is not valid JSON at byte \(error.offset): \(error.reason).")
        }
    }

    /// Checks the content type and parses a body that must be one JSON object.
    /// - Parameter expected: what the object should be, for the message, e.g. `an SLO definition object`.
    /// - Throws: 415, 400 `invalid_json`, or 400 `invalid_request` when the body is not an object.
    static func object(_ request: HTTPRequest, expected: String) throws(APIError) -> JSONFields {
        try JSONFields(parse(request), path: "", expected: expected)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// HTTP's optional whitespace.
    private static func isSpaceOrTab(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
