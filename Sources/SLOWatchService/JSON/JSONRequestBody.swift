import SLOWatchHTTP

/// Reads the JSON body of a request: the `Content-Type` check (415) and the strict parse (400
/// `invalid_json`) that every route taking a body shares.
enum JSONRequestBody {
    /// The media type the API reads, for messages.
    static let mediaType = "application/json"

    /// Whether `contentType` is `application/json`, in any letter case, with or without parameters
    /// (`application/json; charset=utf-8`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let essence = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let trimmed = trimmingSpacesAndTabs(essence)
        return trimmed.utf8.count == mediaType.utf8.count
            && zip(trimmed.utf8, mediaType.utf8).allSatisfy { lowercased($0) == $1 }
    }

    /// Throws 415 `unsupported_media_type` unless the request says its body is `application/json`.
    static func checkContentType(_ request: HTTPRequest) throws(APIError) {
        let contentType = request.headers["Content-Type"]
        guard isJSON(contentType) else {
            throw .unsupportedMediaType(contentType, expected: mediaType)
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

    /// `text` without leading and trailing spaces and tabs (HTTP's optional whitespace).
    private static func trimmingSpacesAndTabs(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
