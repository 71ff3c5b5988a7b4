/// How log lines are written to standard error.
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    /// One readable line per message: `2025-11-29T10:00:00.123Z info slowatch: message key=value`.
    case text
    /// One JSON object per line: `{"timestamp":…,"level":"info","label":"slowatch","message":…}`.
    case json
}
