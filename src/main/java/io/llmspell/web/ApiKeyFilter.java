package io.llmspell.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Lets a request in only with {@code Authorization: Bearer <key>} for a configured key,
 * when {@code llmspell.auth.api-keys} is set; a 401 problem otherwise. Keys are compared
 * in constant time and never logged.
 */
@Component
// after the CORS filters (CrossOriginConfiguration): a preflight carries no credentials
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyFilter implements WebFilter {

	private static final String BEARER = "Bearer ";

	private final List<byte[]> keys;

	private final List<String> openPaths;

	private final AntPathMatcher paths = new AntPathMatcher();

	ApiKeyFilter(AuthProperties properties) {
		this.keys = properties.apiKeys()
			.stream()
			.filter((key) -> !key.isBlank())
			.map((key) -> key.strip().getBytes(StandardCharsets.UTF_8))
			.toList();
		this.openPaths = properties.openPaths();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (keys.isEmpty() || isOpen(exchange.getRequest().getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return unauthorized(exchange, "missing credentials: send Authorization: Bearer <api key>");
		}
		byte[] presented = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
		boolean known = false;
		for (byte[] key : keys) {
			known |= MessageDigest.isEqual(key, presented);
		}
		return known ? chain.filter(exchange) : unauthorized(exchange, "the API key is not valid");
	}

	private boolean isOpen(String path) {
		return openPaths.stream().anyMatch((pattern) -> paths.match(pattern, path));
	}

	private Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		return ProblemWriter.write(exchange, ProblemWriter.problem(HttpStatus.UNAUTHORIZED, "Unauthorized", detail),
				headers);
	}

}
