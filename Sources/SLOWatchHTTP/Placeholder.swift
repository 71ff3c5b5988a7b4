/// Placeholder; filled in by the HTTP issue.
public enum SLOWatchHTTPPlaceholder {}
