import CCurl
import CCurlShim

/// A blocking HTTP/1.1 client over one libcurl easy handle, for tests.
///
/// Requests made through the same client reuse libcurl's connection cache, so a second request to the same
/// server goes over the kept-alive connection (see `CurlResponse.numConnects`). Not `Sendable`: a client is
/// confined to the one test task that created it.
public final class CurlClient {
    /// How the request body is sent.
    private enum Upload {
        case none
        case sized([UInt8])
        case chunked([[UInt8]])
    }

    private static let globalInit: CURLcode = slw_global_init()

    private let handle: UnsafeMutableRawPointer

    /// Whole-transfer timeout in ms applied to every request (libcurl `CURLOPT_TIMEOUT_MS`).
    public var timeoutMilliseconds: Int

    /// How long libcurl waits for `100 Continue` before sending the body anyway, in ms.
    public var expectContinueTimeoutMilliseconds: Int = 3000

    /// Creates a client with its own easy handle; `timeoutMilliseconds` bounds every transfer (ms).
    public init(timeoutMilliseconds: Int = 5000) throws(CurlClientError) {
        guard CurlClient.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw CurlClientError.handleCreation
        }
        self.handle = handle
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Sends `GET url` with the extra `headers` ("Name: value" pairs).
    public func get(_ url: String, headers: [(String, String)] = []) throws(CurlClientError) -> CurlResponse {
        try request(method: "GET", url: url, headers: headers)
    }

    /// Sends `POST url` with `body` and a `Content-Length` (no `Expect` header).
    public func post(
        _ url: String, body: [UInt8], headers: [(String, String)] = []
    ) throws(CurlClientError) -> CurlResponse {
        try request(method: "POST", url: url, body: body, headers: headers)
    }

    /// Sends `method url` with an optional `body` (sent with `Content-Length`, no `Expect` header).
    /// `HEAD` is sent as a body-less request.
    public func request(
        method: String, url: String, body: [UInt8]? = nil, headers: [(String, String)] = []
    ) throws(CurlClientError) -> CurlResponse {
        let upload: Upload = body.map { .sized($0) } ?? .none
        return try perform(method: method, url: url, upload: upload, headers: headers + [("Expect", "")])
    }

    /// Sends `POST url` with `Transfer-Encoding: chunked`; each element of `parts` is one chunk.
    public func postChunked(
        _ url: String, parts: [[UInt8]], headers: [(String, String)] = []
    ) throws(CurlClientError) -> CurlResponse {
        let extra = headers + [("Transfer-Encoding", "chunked"), ("Expect", "")]
        return try perform(method: "POST", url: url, upload: .chunked(parts), headers: extra)
    }

    /// Sends `POST url` with `Expect: 100-continue`; libcurl waits for `100 Continue` (up to
    /// `expectContinueTimeoutMilliseconds`) before sending `body`, and does not send it when the server
    /// answers with a final status first. `CurlResponse.interimStatuses` shows whether a 100 arrived.
    public func postExpectContinue(
        _ url: String, body: [UInt8], headers: [(String, String)] = []
    ) throws(CurlClientError) -> CurlResponse {
        let extra = headers + [("Expect", "100-continue")]
        return try perform(method: "POST", url: url, upload: .sized(body), headers: extra)
    }

    /// Sends `GET url` and hands each piece of body to `onChunk` as it arrives; `onChunk` returning false
    /// stops the transfer (the response then has `stoppedByClient == true`). `timeoutMilliseconds` bounds
    /// the whole stream (ms); running into it is an error unless the client stopped first.
    public func stream(
        _ url: String, headers: [(String, String)] = [], timeoutMilliseconds: Int,
        onChunk: @escaping ([UInt8]) -> Bool
    ) throws(CurlClientError) -> CurlResponse {
        try perform(
            method: "GET", url: url, upload: .none, headers: headers, onChunk: onChunk,
            timeoutMilliseconds: timeoutMilliseconds)
    }

    private func perform(
        method: String, url: String, upload: Upload, headers: [(String, String)],
        onChunk: (([UInt8]) -> Bool)? = nil, timeoutMilliseconds: Int? = nil
    ) throws(CurlClientError) -> CurlResponse {
        // Resetting options keeps the connection cache, so keep-alive reuse still works.
        curl_easy_reset(handle)
        let parts: [[UInt8]]
        switch upload {
        case .none: parts = []
        case .sized(let body): parts = [body]
        case .chunked(let chunks): parts = chunks
        }
        let transfer = CurlTransfer(uploadParts: parts, onChunk: onChunk)
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        for (name, value) in headers {
            // "Name;" sends an empty header; "Name:" removes one libcurl would add.
            let line = value.isEmpty && name != "Expect" ? "\(name);" : "\(name): \(value)"
            list = curl_slist_append(list, line)
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))
        let result: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errors in
            var code = configure(
                method: method, url: url, upload: upload, list: list,
                timeout: timeoutMilliseconds ?? self.timeoutMilliseconds)
            if code == CURLE_OK { code = transfer.install(on: handle) }
            if code == CURLE_OK { code = slw_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errors.baseAddress) }
            if code == CURLE_OK { code = withExtendedLifetime(transfer) { curl_easy_perform(handle) } }
            _ = slw_setopt_ptr(handle, CURLOPT_ERRORBUFFER, nil)
            return code
        }
        if result != CURLE_OK && !(transfer.stoppedByClient && result == CURLE_WRITE_ERROR) {
            let detail = String(
                decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CurlClientError.transfer(url: url, result: result, detail: detail)
        }
        var connects = 0
        _ = slw_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        return CurlResponse(
            status: transfer.status, interimStatuses: transfer.interimStatuses, headers: transfer.headers,
            body: transfer.body, numConnects: connects, stoppedByClient: transfer.stoppedByClient)
    }

    private func configure(
        method: String, url: String, upload: Upload, list: UnsafeMutablePointer<curl_slist>?, timeout: Int
    ) -> CURLcode {
        var code = slw_setopt_str(handle, CURLOPT_URL, url)
        func long(_ option: CURLoption, _ value: Int) {
            if code == CURLE_OK { code = slw_setopt_long(handle, option, value) }
        }
        long(CURLOPT_NOSIGNAL, 1)
        long(CURLOPT_TCP_NODELAY, 1)
        long(CURLOPT_TIMEOUT_MS, timeout)
        long(CURLOPT_CONNECTTIMEOUT_MS, min(timeout, 5000))
        long(CURLOPT_EXPECT_100_TIMEOUT_MS, expectContinueTimeoutMilliseconds)
        long(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        if code == CURLE_OK, let list { code = slw_setopt_ptr(handle, CURLOPT_HTTPHEADER, list) }
        switch upload {
        case .none:
            if method == "HEAD" { long(CURLOPT_NOBODY, 1) }
        case .sized(let body):
            long(CURLOPT_POST, 1)
            if code == CURLE_OK {
                code = slw_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            }
        case .chunked:
            long(CURLOPT_POST, 1)
        }
        if code == CURLE_OK && method != "GET" && method != "HEAD" && method != "POST" {
            code = slw_setopt_str(handle, CURLOPT_CUSTOMREQUEST, method)
        } else if code == CURLE_OK && method == "GET" && !isNone(upload) {
            code = slw_setopt_str(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        return code
    }

    private func isNone(_ upload: Upload) -> Bool {
        if case .none = upload { return true }
        return false
    }
}
