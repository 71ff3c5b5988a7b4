import Testing

@testable import SLOWatchHTTP

/// The one request-parsing loop shared by the connection, the stream parser and the fuzz target.
@Suite struct RequestReaderTests {
    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func limitsOutOfRangeAreClampedSoTheBufferSizeCannotOverflow() {
        var configuration = HTTPServerConfiguration()
        configuration.maxRequestLineBytes = Int.max
        configuration.maxHeaderBytes = Int.max
        configuration.maxHeaderCount = Int.min
        configuration.maxBodyBytes = -1
        let reader = RequestReader(configuration: configuration)
        #expect(reader.limits.maxRequestLineBytes == 1 << 30)
        #expect(reader.limits.maxHeaderBytes == 1 << 30)
        #expect(reader.limits.maxHeaderCount == 1)
        #expect(reader.limits.maxBodyBytes == 0)
        #expect(reader.maxInputBytes == (1 << 31) + 8192)
        #expect(reader.limits.clamped().maxBodyBytes == 0, "clamping twice changes nothing")
    }

    @Test func aHeadComesOutBeforeItsBodyAndTheBodyAfterStartBody() {
        var reader = RequestReader(limits: .init())
        reader.append(Self.bytes("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel"))
        guard case .head(let head) = reader.next() else {
            Issue.record("no head")
            return
        }
        #expect(head.target == "/a")
        #expect(!reader.isReadingBody)
        #expect(reader.startBody() == nil)
        #expect(reader.isReadingBody)
        guard case .incomplete(let consumed) = reader.next() else {
            Issue.record("the body is not complete yet")
            return
        }
        #expect(consumed == 3)
        #expect(reader.bodyByteCount == 3)
        reader.append(Self.bytes("loGET /b HTTP/1.1\r\nHost: a\r\n\r\n"))
        guard case .body(let body) = reader.next() else {
            Issue.record("no body")
            return
        }
        #expect(body == Self.bytes("hello"))
        guard case .head(let next) = reader.next() else {
            Issue.record("the pipelined request did not follow")
            return
        }
        #expect(next.target == "/b")
        #expect(!reader.hasUnreadInput)
    }

    @Test func aDeclaredLengthOverTheLimitFailsAt413AndStaysFailedUntilReset() {
        var reader = RequestReader(limits: .init(maxBodyBytes: 4))
        reader.append(Self.bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"))
        guard case .head = reader.next() else {
            Issue.record("no head")
            return
        }
        #expect(reader.startBody()?.status == 413)
        guard case .failed(let error) = reader.next() else {
            Issue.record("the failure was forgotten")
            return
        }
        #expect(error.status == 413)
        reader.reset()
        reader.discardInput()
        reader.append(Self.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        guard case .head = reader.next() else {
            Issue.record("reset did not start afresh")
            return
        }
    }

    @Test func receiveGrowsTheBufferUpToItsBoundAndCompactsConsumedBytes() {
        var reader = RequestReader(
            limits: .init(maxRequestLineBytes: 64, maxHeaderBytes: 64), initialBytes: 16)
        #expect(reader.maxInputBytes == 64 + 64 + 8192)
        var filled = 0
        while true {
            let space = reader.makeSpace()
            if space == 0 { break }
            filled += reader.receive { buffer in
                buffer.initializeMemory(as: UInt8.self, repeating: ASCII.cr)
                return buffer.count
            }
        }
        #expect(filled == reader.maxInputBytes)
        #expect(reader.unreadByteCount == reader.maxInputBytes)
        reader.discardInput()
        #expect(reader.makeSpace() == reader.maxInputBytes)
        let text = Self.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET")
        let count = reader.receive { buffer in
            buffer.copyBytes(from: text)
            return text.count
        }
        #expect(count == text.count)
        guard case .head = reader.next() else {
            Issue.record("no head")
            return
        }
        #expect(reader.unreadByteCount == 3)
    }
}
