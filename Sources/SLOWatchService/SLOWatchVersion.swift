/// The version of slowatch, printed by `slowatch --version` and in the startup log line.
public enum SLOWatchVersion {
    /// The current version, in semantic-versioning form.
    public static let current = "0.5.0"
}
