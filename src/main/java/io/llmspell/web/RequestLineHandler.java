package io.llmspell.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

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
 * Answers the request lines that never reach a controller with a problem, like every
 * other error of the service: one the HTTP decoder refused as too long (414), and one
 * whose target is no URI, such as a raw {@code "} or {@code [} in the query (400, which
 * Spring's adapter would answer empty). The connection is closed as Netty would close it
 * (the rest of the request is not read). It sits just before Reactor Netty's handler. The
 * problems have no {@code instance}: there is no valid URI to name.
 */
@ChannelHandler.Sharable
final class RequestLineHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "llmspell.requestLine";

	private final byte[] tooLong;

	RequestLineHandler(long limit) {
		this.tooLong = ProblemWriter
			.bytes(ProblemWriter.problem(HttpStatus.URI_TOO_LONG, "URI Too Long", "the request line is longer than "
					+ limit + " bytes (server.netty.max-initial-line-length): send long input in the body"));
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest request) {
			if (request.decoderResult().cause() instanceof TooLongHttpLineException) {
				answer(ctx, msg, HttpResponseStatus.REQUEST_URI_TOO_LONG, this.tooLong);
				return;
			}
			if (request.decoderResult().isSuccess()) {
				String invalid = invalidUri(request.uri());
				if (invalid != null) {
					answer(ctx, msg, HttpResponseStatus.BAD_REQUEST,
							ProblemWriter.bytes(ProblemWriter.problem(HttpStatus.BAD_REQUEST, "Invalid URI",
									"the request target is no URI (" + invalid
											+ "): percent-encode characters such as \" [ ] { } | ^ ` < > \\")));
					return;
				}
			}
		}
		ctx.fireChannelRead(msg);
	}

	/** Why {@code target} is no URI, or null when it is one (as Spring will parse it). */
	private static String invalidUri(String target) {
		try {
			new URI(target);
			return null;
		}
		catch (URISyntaxException ex) {
			return ex.getReason().toLowerCase(Locale.ROOT) + ((ex.getIndex() >= 0) ? " at index " + ex.getIndex() : "");
		}
	}

	private static void answer(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, byte[] problem) {
		ReferenceCountUtil.release(msg);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(problem));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, problem.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
