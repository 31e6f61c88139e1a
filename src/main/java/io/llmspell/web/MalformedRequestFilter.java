package io.llmspell.web;

import java.util.List;
import java.util.Locale;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses, with a 400 problem and before anything else reads them, requests that no
 * handler can take apart:
 * <ul>
 * <li>an {@code Accept} or {@code Content-Type} that is no media type
 * ({@code Accept: garbage}, {@code application/json; charset="}), which would otherwise
 * fail wherever Spring first parses it (a 500, or a 406 with no readable body);</li>
 * <li>a path with an encoded slash or backslash ({@code %2F}, {@code %5C}), as Tomcat
 * does by default: no name here holds one, and such a path matches an open path pattern
 * segment by segment but reaches handlers that cannot take it
 * ({@code /actuator/health/a%2fb} was a 500).</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class MalformedRequestFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String path = request.getURI().getRawPath();
		if (path != null) {
			String upper = path.toUpperCase(Locale.ROOT);
			if (upper.contains("%2F") || upper.contains("%5C")) {
				return refuse(exchange,
						"the path holds an encoded slash or backslash (%2F, %5C), which no resource here has");
			}
		}
		for (String header : List.of(HttpHeaders.ACCEPT, HttpHeaders.CONTENT_TYPE)) {
			List<String> values = request.getHeaders().getOrEmpty(header);
			try {
				MediaType.parseMediaTypes(values);
			}
			catch (InvalidMediaTypeException ex) {
				return refuse(exchange, "the " + header + " header is not a media type: " + ex.getMessage());
			}
		}
		return chain.filter(exchange);
	}

	private static Mono<Void> refuse(ServerWebExchange exchange, String detail) {
		return ProblemWriter.write(exchange, ProblemWriter.problem(HttpStatus.BAD_REQUEST, "Bad Request", detail),
				new HttpHeaders());
	}

}
