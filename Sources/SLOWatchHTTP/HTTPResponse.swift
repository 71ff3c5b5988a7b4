/// A response a handler returns. The server adds `Date`, `Server`, `Content-Length` or
/// `Transfer-Encoding`, and `Connection`.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The handler's header fields.
    public var headers: HTTPHeaders
    /// The body bytes (not sent for HEAD, 204 and 304).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The fields of every JSON answer, built once: copying them costs a reference count, not two arrays.
    private static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]

    /// A JSON response with `Content-Type: application/json; charset=utf-8`.
    public static func json(status: Int, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: jsonHeaders, body: body)
    }

    /// A JSON error: `{"error":{"code":…,"message":…}}`.
    public static func error(status: Int, code: String, message: String) -> HTTPResponse {
        var body: [UInt8] = []
        body.reserveCapacity(40 + code.utf8.count + message.utf8.count)
        body.append(contentsOf: #"{"error":{"code":"#.utf8)
        appendJSONString(code, to: &body)
        body.append(contentsOf: #","message":"#.utf8)
        appendJSONString(message, to: &body)
        body.append(contentsOf: "}}".utf8)
        return .json(status: status, body)
    }

    /// Appends `text` to `body` as a quoted JSON string (RFC 8259): `"` and `\` are escaped, LF, CR
    /// and tab as `\n`, `\r`, `\t`, every other control character and DEL (0x7F) as `\u00XX`;
    /// all other bytes, including non-ASCII UTF-8, are copied as they are. The output never holds a
    /// raw control character, so it is safe on one line of a log or an SSE `data:` field.
    ///
    /// `package` so that the service's JSON writer escapes exactly as error bodies do.
    package static func appendJSONString(_ text: String, to body: inout [UInt8]) {
        body.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                body.append(UInt8(ascii: "\\"))
                body.append(byte)
            case 0x0A: body.append(contentsOf: #"\n"#.utf8)
            case 0x0D: body.append(contentsOf: #"\r"#.utf8)
            case 0x09: body.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20, 0x7F:
                body.append(contentsOf: #"\u00"#.utf8)
                body.append(hexDigits[Int(byte >> 4)])
                body.append(hexDigits[Int(byte & 15)])
            default: body.append(byte)
            }
        }
        body.append(UInt8(ascii: "\""))
    }

    /// Lowercase hexadecimal digits, for `\u00XX` escapes.
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
