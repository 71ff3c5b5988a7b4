/// Serializes responses into a connection's outbound bytes, head and body in one buffer so a
/// batch of pipelined responses leaves in one `send`.
enum ResponseEncoder {
    /// What the `Connection` header says.
    enum Persistence {
        /// HTTP/1.1 keep-alive: no header.
        case keepAlive
        /// HTTP/1.0 keep-alive: `Connection: keep-alive`.
        case keepAliveExplicit
        /// The server closes after this response: `Connection: close`.
        case close
    }

    private static let serverLine = Array("Server: slowatch\r\n".utf8)
    private static let crlf: [UInt8] = [ASCII.cr, ASCII.lf]

    /// Appends a complete response (head, then the body unless `omitBody` or the status forbids one).
    static func encode(
        _ response: HTTPResponse, omitBody: Bool, persistence: Persistence, date: [UInt8],
        into out: inout [UInt8]
    ) {
        let hasBody = !HTTPStatus.forbidsBody(response.status)
        appendHead(
            status: response.status, headers: response.headers,
            framing: hasBody ? .length(response.body.count) : .none, persistence: persistence, date: date,
            into: &out)
        if hasBody && !omitBody { out.append(contentsOf: response.body) }
    }

    /// How the body of a response is delimited.
    enum Framing {
        case none
        case length(Int)
        case chunked
        /// The body runs until the connection closes (a stream to an HTTP/1.0 client).
        case untilClose
    }

    /// Appends the status line and header section (ending with the empty line).
    static func appendHead(
        status: Int, headers: HTTPHeaders, framing: Framing, persistence: Persistence, date: [UInt8],
        into out: inout [UInt8]
    ) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &out)
        out.append(ASCII.space)
        out.append(contentsOf: HTTPStatus.reason(status).utf8)
        out.append(contentsOf: crlf)
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: crlf)
        out.append(contentsOf: serverLine)
        headers.storage.withUnsafeBytes { storage in
            for field in headers.fields where !isServerControlled(field, storage) {
                out.append(contentsOf: storage[Int(field.nameStart)..<Int(field.nameEnd)])
                out.append(ASCII.colon)
                out.append(ASCII.space)
                out.append(contentsOf: storage[Int(field.valueStart)..<Int(field.valueEnd)])
                out.append(contentsOf: crlf)
            }
        }
        switch framing {
        case .none, .untilClose:
            break
        case .length(let length):
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(length, to: &out)
            out.append(contentsOf: crlf)
        case .chunked:
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        }
        switch persistence {
        case .keepAlive: break
        case .keepAliveExplicit: out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        case .close: out.append(contentsOf: "Connection: close\r\n".utf8)
        }
        out.append(contentsOf: crlf)
    }

    /// The interim `100 Continue` response.
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Fields the server writes itself: a handler's copy is dropped.
    private static func isServerControlled(_ field: HTTPHeaders.Field, _ storage: UnsafeRawBufferPointer)
        -> Bool
    {
        let name = UnsafeRawBufferPointer(rebasing: storage[Int(field.nameStart)..<Int(field.nameEnd)])
        switch name.count {
        case 4: return ASCII.equalsIgnoringCase(name, "date")
        case 6: return ASCII.equalsIgnoringCase(name, "server")
        case 10: return ASCII.equalsIgnoringCase(name, "connection")
        case 14: return ASCII.equalsIgnoringCase(name, "content-length")
        case 17: return ASCII.equalsIgnoringCase(name, "transfer-encoding")
        default: return false
        }
    }

    /// Appends a non-negative decimal number.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(48 + max(value, 0)))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(48 + rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }
}
