import Glibc
import Testing

@testable import SLOWatchPOSIX

@Suite struct SocketTests {
    @Test func aListenerOnPortZeroGetsAnEphemeralPortThatBoundPortReports() throws {
        let (fd, port) = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 16)
        defer { close(fd) }
        #expect(port > 0)
        #expect(Socket.boundPort(fd) == port)
    }

    @Test func aHostThatIsNotALiteralIsRefusedWithASentence() {
        #expect(
            throws: SocketError.invalidAddress(host: "localhost", port: 80)
        ) { try Socket.listen(host: "localhost", port: 80, backlog: 16) }
        #expect(
            SocketError.invalidAddress(host: "localhost", port: 80).message
                == "The address \"localhost\" port 80 is not an IPv4 or IPv6 literal with a port in 0...65535."
        )
        #expect(throws: SocketError.self) { try Socket.listen(host: "::1", port: 70_000, backlog: 16) }
    }

    @Test func aBusyPortNamesTheCallAndTheErrno() throws {
        let (fd, port) = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 16)
        defer { close(fd) }
        // SO_REUSEADDR does not let a second socket listen on a port another one listens on.
        #expect(throws: SocketError.socket("bind", host: "127.0.0.1", port: port, errno: EADDRINUSE)) {
            try Socket.listen(host: "127.0.0.1", port: port, backlog: 16)
        }
    }

    @Test func addressesAreParsedForIPv4AndIPv6LiteralsOnly() {
        #expect(Socket.address(host: "10.0.0.1", port: 8125)?.family == AF_INET)
        #expect(Socket.address(host: "::1", port: 8125)?.family == AF_INET6)
        #expect(Socket.address(host: "example.com", port: 8125) == nil)
    }
}
