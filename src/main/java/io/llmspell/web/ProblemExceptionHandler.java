package io.llmspell.web;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The last word on an error that no controller advice answered (one met while choosing
 * the handler, or while writing a problem the client's {@code Accept} cannot be parsed
 * for): an RFC 9457 problem like every other, not Spring Boot's error page. Client errors
 * are logged at DEBUG only; a 5xx at ERROR with its stack trace, and its body says
 * nothing about the cause.
 */
@Component
// before Spring Boot's ErrorWebExceptionHandler (-1)
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem = problemFor(exchange, ex);
		HttpHeaders headers = (ex instanceof ErrorResponse response) ? response.getHeaders() : new HttpHeaders();
		if (HttpStatusCode.valueOf(problem.getStatus()).is5xxServerError()) {
			log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
		}
		else {
			log.debug("{} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex.toString());
		}
		exchange.getResponse().getHeaders().clear();
		return ProblemWriter.write(exchange, problem, headers);
	}

	static ProblemDetail problemFor(ServerWebExchange exchange, Throwable ex) {
		Throwable cause = (ex.getCause() instanceof InvalidMediaTypeException) ? ex.getCause() : ex;
		if (cause instanceof InvalidMediaTypeException invalid) {
			return invalidMediaType(exchange, invalid);
		}
		if (ex instanceof ErrorResponse response) {
			ProblemDetail body = response.getBody();
			ProblemDetail problem = ProblemWriter.problem(response.getStatusCode(),
					(body.getTitle() != null) ? body.getTitle() : reason(response.getStatusCode()), body.getDetail());
			if (body.getProperties() != null) {
				body.getProperties().forEach(problem::setProperty);
			}
			return problem;
		}
		return ProblemWriter.problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error",
				"the server failed to answer this request; its log says why");
	}

	/** 400 naming the header that is not a media type: {@code Accept: garbage}. */
	static ProblemDetail invalidMediaType(ServerWebExchange exchange, InvalidMediaTypeException ex) {
		String header = parses(exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.ACCEPT)) ? "Content-Type"
				: "Accept";
		return ProblemWriter.problem(HttpStatus.BAD_REQUEST, "Bad Request",
				"the " + header + " header is not a media type: " + ex.getMessage());
	}

	private static boolean parses(List<String> values) {
		try {
			MediaType.parseMediaTypes(values);
			return true;
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static String reason(HttpStatusCode status) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return (known != null) ? known.getReasonPhrase() : "Error";
	}

}
