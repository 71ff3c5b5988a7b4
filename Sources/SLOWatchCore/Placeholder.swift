/// Placeholder; filled in by the core issue.
public enum SLOWatchCorePlaceholder {}
