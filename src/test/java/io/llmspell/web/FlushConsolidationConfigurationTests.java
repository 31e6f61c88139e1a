package io.llmspell.web;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.CharsetUtil;
import org.junit.jupiter.api.Test;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two events flushed in one turn of a connection's event loop reach the socket as one
 * flush, at the end of that turn; the property turns it off.
 */
class FlushConsolidationConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(UserConfigurations.of(FlushConsolidationConfiguration.class));

	@Test
	void onByDefaultAndOffWithTheProperty() {
		runner.run((context) -> assertThat(context).hasSingleBean(NettyServerCustomizer.class));
		runner.withPropertyValues("llmspell.http.consolidate-flushes=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NettyServerCustomizer.class));
	}

	@Test
	void twoFlushesInOneTurnBecomeOneAtItsEnd() {
		runner.run((context) -> {
			EmbeddedChannel channel = new EmbeddedChannel();
			initialize(context.getBean(NettyServerCustomizer.class), channel);
			AtomicInteger flushes = countFlushes(channel);

			twoEventsTwoFlushes(channel);
			assertThat(flushes).hasValue(0);
			assertThat(channel.outboundMessages()).isEmpty();

			channel.runPendingTasks();
			assertThat(flushes).hasValue(1);
			assertThat(channel.outboundMessages()).hasSize(2);
			channel.finishAndReleaseAll();
		});
	}

	@Test
	void withoutItEveryFlushIsOne() {
		EmbeddedChannel channel = new EmbeddedChannel();
		AtomicInteger flushes = countFlushes(channel);
		twoEventsTwoFlushes(channel);
		assertThat(flushes).hasValue(2);
		channel.finishAndReleaseAll();
	}

	private static void initialize(NettyServerCustomizer customizer, EmbeddedChannel channel) {
		customizer.apply(HttpServer.create())
			.configuration()
			.doOnChannelInit()
			.onChannelInit(ConnectionObserver.emptyListener(), channel, null);
		assertThat(channel.pipeline().get(FlushConsolidationConfiguration.NAME)).isNotNull();
	}

	// the writes first: EmbeddedChannel runs its loop's pending tasks (a consolidated
	// flush) whenever a write reaches it, where a socket channel only queues the bytes
	private static void twoEventsTwoFlushes(EmbeddedChannel channel) {
		channel.pipeline().write(Unpooled.copiedBuffer("data:a\n\n", CharsetUtil.UTF_8));
		channel.pipeline().write(Unpooled.copiedBuffer("data:b\n\n", CharsetUtil.UTF_8));
		channel.pipeline().flush();
		channel.pipeline().flush();
	}

	/** Counts the flushes that pass toward the socket, ahead of everything else. */
	private static AtomicInteger countFlushes(EmbeddedChannel channel) {
		AtomicInteger flushes = new AtomicInteger();
		channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
			@Override
			public void flush(ChannelHandlerContext ctx) {
				flushes.incrementAndGet();
				ctx.flush();
			}
		});
		return flushes;
	}

}
