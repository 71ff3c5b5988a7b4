import CCurl
import CCurlShim

/// A failure of the libcurl test client: the handle could not be created, or a transfer failed.
public struct CurlClientError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case handleCreation
        case option(Int32)
        case transfer(Int32)
    }

    private let code: Code

    /// A human sentence naming what failed and why.
    public let message: String

    private init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `curl_easy_init` returned NULL.
    public static let handleCreation = CurlClientError(
        code: .handleCreation,
        message: "curl_easy_init returned no handle; libcurl could not allocate a transfer."
    )

    /// A `curl_easy_setopt` call for `option` was rejected with `result`.
    public static func option(_ option: String, result: CURLcode) -> CurlClientError {
        CurlClientError(
            code: .option(Int32(result.rawValue)),
            message: "libcurl rejected option \(option): \(CurlClientError.describe(result))."
        )
    }

    /// `curl_easy_perform` on `url` failed with `result` (after `detail`, libcurl's error buffer).
    public static func transfer(url: String, result: CURLcode, detail: String) -> CurlClientError {
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        return CurlClientError(
            code: .transfer(Int32(result.rawValue)),
            message: "The transfer to \(url) failed: \(CurlClientError.describe(result))\(suffix)."
        )
    }

    /// The raw `CURLcode` of a failed transfer or option, if any.
    public var curlCode: Int32? {
        switch code {
        case .handleCreation: return nil
        case .option(let raw), .transfer(let raw): return raw
        }
    }

    /// True when the transfer failed because it ran past its timeout (`CURLE_OPERATION_TIMEDOUT`).
    public var isTimeout: Bool {
        curlCode == Int32(CURLE_OPERATION_TIMEDOUT.rawValue)
    }

    /// The message.
    public var description: String { message }

    private static func describe(_ result: CURLcode) -> String {
        guard let text = curl_easy_strerror(result) else { return "CURLcode \(result.rawValue)" }
        return String(cString: text)
    }
}
