import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import PatternLanguage

/// Every connection's pipeline: Hummingbird's HTTP/1 channel that can upgrade to a WebSocket (`GET /api/live`),
/// plus `HTTP1ParseErrorHandler` right after the HTTP decoder. An upgradable pipeline adds the usual handlers
/// (`HTTPParseErrorHandler` among them) only once a request head has arrived, so a request the parser rejects
/// outright would otherwise get no answer at all.
struct StudioServerChannel: ServerChildChannel {
  typealias Value = HTTP1WebSocketUpgradeChannel.Value
  let base: HTTP1WebSocketUpgradeChannel

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    base.setup(channel: channel, logger: logger).flatMapThrowing { value in
      let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
      try channel.pipeline.syncOperations.addHandler(HTTP1ParseErrorHandler(), position: .after(decoder))
      return value
    }
  }

  func handle(value: Value, logger: Logger) async {
    await base.handle(value: value, logger: logger)
  }
}

/// `HTTPParseErrorHandler` for the NIOHTTP1 side of the pipeline (before any upgrade decision): a request the
/// parser rejects gets `400 {"success": false, "error", "code"}` and the connection closes.
final class HTTP1ParseErrorHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias InboundOut = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private var answered = false

  func channelRead(context: ChannelHandlerContext, data: NIOAny) { context.fireChannelRead(data) }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    guard error is HTTPParserError else {
      context.fireErrorCaught(error)
      return
    }
    guard !answered else { return }
    answered = true
    let body = HTTPParseErrorHandler.body(for: error, allocator: context.channel.allocator)
    let headers = HTTPHeaders([
      ("Content-Type", "application/json; charset=utf-8"), ("Content-Length", "\(body.readableBytes)"),
      ("Connection", "close"),
    ])
    let head = HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers)
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
  }
}
