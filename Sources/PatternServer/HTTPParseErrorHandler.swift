import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import PatternLanguage

/// Answers a request the HTTP parser rejects (a request line over the decoder's limit, an unknown method such as
/// `FOO`, broken framing) with the API's JSON error shape — `400 {"success": false, "error", "code"}` — and
/// closes the connection, instead of the empty 400 the HTTP layer would send. Sits right after the HTTP/1
/// codec in every connection's pipeline.
final class HTTPParseErrorHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundOut = HTTPResponsePart

  private var answered = false

  func channelRead(context: ChannelHandlerContext, data: NIOAny) { context.fireChannelRead(data) }

  /// The JSON error body for a request the parser rejected (both HTTP pipelines send it).
  static func body(for error: any Error, allocator: ByteBufferAllocator) -> ByteBuffer {
    let error = APIError.badRequest("malformed HTTP request (\(error)); the request line and headers are limited")
    var body = allocator.buffer(capacity: 256)
    body.writeString(error.json.serialized() + "\n")
    return body
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    guard error is HTTPParserError else {
      context.fireErrorCaught(error)
      return
    }
    guard !answered else { return }
    answered = true
    let body = Self.body(for: error, allocator: context.channel.allocator)
    var head = HTTPResponse(status: .badRequest)
    head.headerFields[.contentType] = "application/json; charset=utf-8"
    head.headerFields[.contentLength] = "\(body.readableBytes)"
    head.headerFields[.connection] = "close"
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    context.write(wrapOutboundOut(.body(body)), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
  }
}
