/// Puts text that came from outside (a request, a flag, a configuration file) into an error message.
///
/// The text is quoted and escaped the way a Swift string literal is (`"a\nb"`), so a control
/// character cannot break the message over lines, and cut to a few dozen characters with `…`, so a
/// hostile value cannot flood the message or the log line that repeats it.
enum MessageText {
    /// `text` cut to `limit` characters (adding `…` when cut), quoted and escaped.
    /// - Parameters:
    ///   - text: the value as received.
    ///   - limit: the most characters shown.
    static func quoted(_ text: some StringProtocol, limit: Int = 100) -> String {
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : String(text)
        return shown.debugDescription
    }
}
