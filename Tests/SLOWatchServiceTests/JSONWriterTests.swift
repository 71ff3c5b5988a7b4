import SLOWatchHTTP
import Testing

@testable import SLOWatchService

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("strings are escaped per RFC 8259, DEL and every control character included, UTF-8 kept")
    func escaping() {
        var json = JSONWriter()
        json.string("q\" b\\ n\n t\t nul\u{0} us\u{1F} del\u{7F} é")
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #""q\" b\\ n\n t\t nul\u0000 us\u001f del\u007f é""#)
    }

    @Test("an API error is {\"error\":{\"code\",\"message\"}} as JSON, its message escaped")
    func errorDocument() {
        let response = APIError.invalidRequest("Quote \" and \\ and \n, nul \u{0} tab \t del \u{7F} é")
            .response
        #expect(response.status == 400)
        #expect(response.headers["content-type"] == "application/json; charset=utf-8")
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"{"error":{"code":"invalid_request","message":"Quote \" and \\ and \n, nul \u0000 tab \t "#
                + #"del \u007f é"}}"#)
    }

    @Test("commas go between members and elements, and a list answer has its one array member")
    func commasAndLists() {
        var json = JSONWriter()
        json.objectWithArray("items", [1.5, 2, .nan]) { value, json in
            json.beginObject()
            json.key("v")
            json.number(value)
            json.key("ok")
            json.bool(value.isFinite)
            json.endObject()
        }
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"items":[{"v":1.5,"ok":true},{"v":2,"ok":true},{"v":null,"ok":false}]}"#)
        var empty = JSONWriter()
        empty.objectWithArray("items", [Int]()) { _, _ in }
        #expect(String(decoding: empty.bytes, as: UTF8.self) == #"{"items":[]}"#)
    }
}
