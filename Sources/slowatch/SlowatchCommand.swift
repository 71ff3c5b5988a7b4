import ArgumentParser

/// The `slowatch` command line: `slowatch serve` (the default) runs the service.
@main
struct SlowatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slowatch",
        abstract: "A small, fast HTTP service for latency samples, exact percentiles and SLO violations.",
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
