package io.llmspell.web;

import io.netty.handler.flush.FlushConsolidationHandler;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The flushes a connection gets in one turn of its event loop reach the socket as one
 * write. Spring's SSE writer flushes after every event, as streaming needs; when several
 * events are ready at once (a short run's three, callbacks that come together), each
 * flush was a system call of its own. Netty's {@link FlushConsolidationHandler} keeps the
 * first promise (nothing waits past the current turn of the loop) and drops the second.
 * {@code llmspell.http.consolidate-flushes=false} turns it off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "llmspell.http.consolidate-flushes", matchIfMissing = true)
class FlushConsolidationConfiguration {

	static final String NAME = "llmspell.flushConsolidation";

	@Bean
	NettyServerCustomizer flushConsolidation() {
		// nearest the socket, so that it sees every flush; one per connection (it has
		// state)
		return (server) -> server.doOnChannelInit((observer, channel, remote) -> channel.pipeline()
			.addFirst(NAME, new FlushConsolidationHandler(
					FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true)));
	}

}
