package io.llmspell.web;

import reactor.netty.NettyPipeline;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * A request line over {@code server.netty.max-initial-line-length} (4KB by default) is
 * answered with a 414 problem, and a request target that is no URI with a 400 problem
 * ({@link RequestLineHandler}), instead of bare answers.
 */
@Configuration(proxyBeanMethods = false)
class RequestLineConfiguration {

	@Bean
	NettyServerCustomizer requestLineProblems(ObjectProvider<NettyServerProperties> netty) {
		DataSize limit = netty.getIfAvailable(NettyServerProperties::new).getMaxInitialLineLength();
		RequestLineHandler handler = new RequestLineHandler(limit.toBytes());
		return (server) -> server.doOnChannelInit((observer, channel, remote) -> {
			// only where the HTTP/1.1 codec is, ahead of what would answer the failure
			if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
				channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, RequestLineHandler.NAME, handler);
			}
		});
	}

}
