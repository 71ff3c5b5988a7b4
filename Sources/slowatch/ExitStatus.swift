import ArgumentParser

/// The exit statuses `slowatch` uses besides 0, from `sysexits.h` so scripts can tell failures apart.
enum ExitStatus: Int32 {
    /// `EX_DATAERR`: an input that is not a configuration is invalid (`export-openslo --slos`).
    case dataError = 65
    /// `EX_UNAVAILABLE`: the service could not bind its address (the port is busy, say).
    case unavailable = 69
    /// `EX_CANTCREAT`: an output file (`rules --output`) could not be written.
    case cannotCreate = 73
    /// `EX_TEMPFAIL`: the graceful shutdown could not save the state (its snapshot could not be
    /// written, a full disk say); a restart finds the previous snapshot.
    case temporaryFailure = 75
    /// `EX_CONFIG`: a configuration file, flag or environment value is invalid.
    case configuration = 78

    /// The error that makes ArgumentParser exit with this status without printing anything more.
    var exitCode: ExitCode { ExitCode(rawValue) }
}
