package io.llmspell.web;

import java.net.URI;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses, with a 403 problem, a request from a browser page on another origin that the
 * CORS policy does not allow, before it reaches a controller. CORS alone only hides the
 * answer from such a page: a "simple" cross-origin {@code POST} (no preflight) would
 * still start a run. Safe methods ({@code GET}, {@code HEAD}) pass: they change nothing,
 * and the browser withholds their answer. Requests without {@code Origin} (curl, SDKs)
 * and same-origin ones (the playground) always pass.
 */
class OriginCheckFilter implements WebFilter {

	private final CorsConfigurationSource source;

	private final JsonMapper json = JsonMapper.builder().build();

	OriginCheckFilter(CorsConfigurationSource source) {
		this.source = source;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!CorsUtils.isCorsRequest(request) || isSafe(request.getMethod()) && !CorsUtils.isPreFlightRequest(request)
				|| allowed(exchange)) {
			return chain.filter(exchange);
		}
		return forbidden(exchange, request.getHeaders().getOrigin());
	}

	private static boolean isSafe(HttpMethod method) {
		return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method);
	}

	private boolean allowed(ServerWebExchange exchange) {
		CorsConfiguration cors = source.getCorsConfiguration(exchange);
		return cors != null && cors.checkOrigin(exchange.getRequest().getHeaders().getOrigin()) != null;
	}

	private Mono<Void> forbidden(ServerWebExchange exchange, String origin) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "requests from origin '" + origin
				+ "' are not allowed; list it in llmspell.http.cors.allowed-origins to let its pages call the API");
		problem.setTitle("Origin not allowed");
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		problem.setProperty("origin", origin);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.FORBIDDEN);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		byte[] body = json.writeValueAsBytes(problem);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
