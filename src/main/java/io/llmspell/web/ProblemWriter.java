package io.llmspell.web;

import java.net.URI;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes a problem straight to the response, for the places that answer before (or
 * instead of) content negotiation: filters and the last-resort exception handler. The
 * JSON is the one Spring's codecs write: no null members, properties at the top level.
 */
final class ProblemWriter {

	private static final JsonMapper JSON = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	private ProblemWriter() {
	}

	static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	/** The request's path, which every problem's {@code instance} is. */
	static URI instance(ServerWebExchange exchange) {
		return URI.create(exchange.getRequest().getPath().value());
	}

	/** The problem as the JSON every problem of the service is. */
	static byte[] bytes(ProblemDetail problem) {
		return JSON.writeValueAsBytes(problem);
	}

	static Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem, HttpHeaders headers) {
		if (problem.getInstance() == null) {
			problem.setInstance(instance(exchange));
		}
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		response.getHeaders().addAll(headers);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		byte[] body = bytes(problem);
		response.getHeaders().setContentLength(body.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
