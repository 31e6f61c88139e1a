package io.llmspell.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An access log, one line a request in the common log format, on the logger
 * {@code reactor.netty.http.server.AccessLog}, when {@code llmspell.http.access-log} is
 * true (off by default: a proxy in front usually logs already).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("llmspell.http.access-log")
class AccessLogConfiguration {

	@Bean
	NettyServerCustomizer accessLog() {
		return (server) -> server.accessLog(true);
	}

}
