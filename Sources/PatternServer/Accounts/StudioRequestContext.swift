import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import HummingbirdWebSocket
import NIOCore

/// The request context of every route: Hummingbird's core storage, the authenticated user (set by
/// `StudioAuthenticator`, or the admin when the server runs without `--auth`), how that user was authenticated,
/// the client's address (rate limits) and the WebSocket handler slot `GET /api/live` fills.
public struct StudioRequestContext: AuthRequestContext, WebSocketRequestContext, RequestContext {
  /// How a request proved who it is.
  public enum Method: Sendable {
    /// No credentials (or the server runs without `--auth`).
    case none
    /// `Authorization: Bearer pst_…`.
    case token
    /// The session cookie (a browser: unsafe methods get the CSRF checks).
    case session
  }

  public var coreContext: CoreRequestContextStorage
  /// The user this request acts for; nil: anonymous.
  public var identity: StudioUser?
  /// How `identity` was established.
  public var method: Method = .none
  /// The peer's IP address ("unknown" in memory).
  public let clientAddress: String
  public let webSocket: WebSocketHandlerReference<Self>

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    identity = nil
    clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    webSocket = .init()
  }
}
