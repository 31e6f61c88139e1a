package io.llmspell.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Answers a request whose request line the HTTP decoder refused as too long with a 414
 * problem, like every other error of the service, and closes the connection as Netty
 * would (the rest of the request is not read). It sits just before Reactor Netty's
 * handler, which would answer the same failure with an empty 414. The problem has no
 * {@code instance}: the decoder keeps nothing of the line.
 */
@ChannelHandler.Sharable
final class UriTooLongHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "llmspell.uriTooLong";

	private final byte[] problem;

	UriTooLongHandler(long limit) {
		this.problem = ProblemWriter
			.bytes(ProblemWriter.problem(HttpStatus.URI_TOO_LONG, "URI Too Long", "the request line is longer than "
					+ limit + " bytes (server.netty.max-initial-line-length): send long input in the body"));
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest request && request.decoderResult().cause() instanceof TooLongHttpLineException) {
			ReferenceCountUtil.release(msg);
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
					HttpResponseStatus.REQUEST_URI_TOO_LONG, Unpooled.wrappedBuffer(this.problem));
			response.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
				.setInt(HttpHeaderNames.CONTENT_LENGTH, this.problem.length)
				.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
			return;
		}
		ctx.fireChannelRead(msg);
	}

}
