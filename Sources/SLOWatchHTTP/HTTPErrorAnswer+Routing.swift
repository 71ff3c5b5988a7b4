extension HTTPErrorAnswer {
    /// 501 for a method token outside the ones the server knows.
    static func unsupportedMethod(_ token: String) -> HTTPErrorAnswer {
        HTTPErrorAnswer(
            status: 501,
            message: "The method \(token) is not supported: this server knows GET, HEAD, POST, PUT, DELETE, "
                + "OPTIONS, PATCH, TRACE, CONNECT and QUERY.")
    }

    /// 404 for a path no route serves (`path` percent-decoded).
    static func noRoute(path: String) -> HTTPErrorAnswer {
        HTTPErrorAnswer(status: 404, message: "No route serves the path \(path).")
    }

    /// 405 for a path served under other methods; `allow` is the `Allow` list.
    static func methodNotAllowed(path: String, method: HTTPMethod, allow: String) -> HTTPErrorAnswer {
        HTTPErrorAnswer(
            status: 405, message: "The path \(path) does not serve \(method.rawValue); it serves \(allow).")
    }

    /// 500 in place of a handler's answer whose status is not final (200...599).
    static func nonFinalStatus(method: HTTPMethod, status: Int) -> HTTPErrorAnswer {
        HTTPErrorAnswer(
            status: 500,
            message: "The handler of \(method.rawValue) answered with the status \(status), "
                + "which is not a final status (200...599).")
    }
}
