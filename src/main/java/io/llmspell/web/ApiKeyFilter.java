package io.llmspell.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
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

	private final JsonMapper json = JsonMapper.builder().build();

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
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
		problem.setTitle("Unauthorized");
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.UNAUTHORIZED);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		byte[] body = json.writeValueAsBytes(problem);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
