import CEpoll

/// The readiness flags of an epoll registration and of a reported event (`EPOLLIN` and friends),
/// re-exported so that the modules above need not import the C shim.
package struct EpollEvents: OptionSet, Sendable, Hashable {
    /// The raw `EPOLL*` bits.
    package let rawValue: UInt32

    /// Wraps raw `EPOLL*` bits.
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `EPOLLIN`: bytes (or a connection, or a datagram) can be read.
    package static let readable = EpollEvents(rawValue: CEPOLL_IN)
    /// `EPOLLOUT`: the send buffer has room.
    package static let writable = EpollEvents(rawValue: CEPOLL_OUT)
    /// `EPOLLERR`: an error is pending on the socket (always reported).
    package static let error = EpollEvents(rawValue: CEPOLL_ERR)
    /// `EPOLLHUP`: both directions are closed (always reported).
    package static let hangup = EpollEvents(rawValue: CEPOLL_HUP)
    /// `EPOLLRDHUP`: the peer sent its FIN.
    package static let readHangup = EpollEvents(rawValue: CEPOLL_RDHUP)
    /// `EPOLLET`: report each readiness change once (edge-triggered) instead of while it lasts.
    package static let edgeTriggered = EpollEvents(rawValue: CEPOLL_ET)
    /// `EPOLLEXCLUSIVE`: wake one of the loops that share this descriptor, not all of them.
    package static let exclusive = EpollEvents(rawValue: CEPOLL_EXCLUSIVE)
}
