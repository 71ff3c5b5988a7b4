import SLOWatchHTTP

/// The error rendering the HTTP tests install (``TestServer`` does): `{"error":{"code","message"}}` as
/// `application/json`, the shape the service supplies, so tests can read a transport error's code and
/// message with ``RawResponse/errorCode``. The transport's own default is plain text.
enum TestErrorDocument {
    /// The answer rendered as a JSON error document.
    @Sendable static func response(_ error: HTTPErrorAnswer) -> HTTPResponse {
        let body = #"{"error":{"code":"# + quoted(error.code) + #","message":"# + quoted(error.message) + "}}"
        return HTTPResponse(
            status: error.status, headers: ["Content-Type": "application/json; charset=utf-8"],
            body: Array(body.utf8))
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped.
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u00" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
