package io.llmspell.web;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

import io.llmspell.run.InvalidOptionException;
import io.llmspell.run.RunFinishedException;
import io.llmspell.run.RunRejectedException;
import io.llmspell.run.UnknownRunException;
import io.llmspell.spell.BrokenSpell;
import io.llmspell.spell.BrokenSpellException;
import io.llmspell.spell.InvalidParameterException;
import io.llmspell.spell.UnknownSpellException;

/**
 * Every error before a run starts is an RFC 9457 problem
 * ({@code application/problem+json}), whatever the client's {@code Accept} asked for: an
 * SSE client gets a readable 400, not a 406.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	Mono<ResponseEntity<Object>> unknownSpell(UnknownSpellException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown spell", ex.getMessage());
		problem.setProperty("spell", ex.spell());
		return respond(problem, new HttpHeaders(), exchange);
	}

	/**
	 * 409: the spell is there, but its files keep it from running; the same request
	 * succeeds once they are fixed (the request itself is fine, so not 422).
	 */
	@ExceptionHandler
	Mono<ResponseEntity<Object>> brokenSpell(BrokenSpellException ex, ServerWebExchange exchange) {
		BrokenSpell broken = ex.broken();
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Broken spell", ex.getMessage());
		problem.setProperty("spell", broken.name());
		if (broken.file() != null) {
			problem.setProperty("file", broken.file());
		}
		if (broken.line() > 0) {
			problem.setProperty("line", broken.line());
		}
		return respond(problem, new HttpHeaders(), exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> invalidParameter(InvalidParameterException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid parameter", ex.getMessage());
		problem.setProperty("parameter", ex.parameter());
		return respond(problem, new HttpHeaders(), exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> invalidOption(InvalidOptionException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid option", ex.getMessage());
		problem.setProperty("option", ex.option());
		return respond(problem, new HttpHeaders(), exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> invalidBody(InvalidBodyException ex, ServerWebExchange exchange) {
		return respond(problem(HttpStatus.BAD_REQUEST, "Invalid body", ex.getMessage()), new HttpHeaders(), exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> bodyTooLarge(BodyTooLargeException ex, ServerWebExchange exchange) {
		return respond(problem(HttpStatus.CONTENT_TOO_LARGE, "Body too large", ex.getMessage()), new HttpHeaders(),
				exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> rejected(RunRejectedException ex, ServerWebExchange exchange) {
		HttpStatus status = ex.unavailable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.TOO_MANY_REQUESTS;
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, ex.retryAfter().toSeconds())));
		return respond(problem(status, ex.unavailable() ? "Service unavailable" : "Too many runs", ex.getMessage()),
				headers, exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> unknownRun(UnknownRunException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown run", ex.getMessage());
		problem.setProperty("runId", ex.runId());
		return respond(problem, new HttpHeaders(), exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> runFinished(RunFinishedException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Run already finished", ex.getMessage());
		problem.setProperty("runId", ex.runId());
		problem.setProperty("runStatus", ex.status());
		return respond(problem, new HttpHeaders(), exchange);
	}

	/**
	 * A header that is no media type ({@code Accept: garbage},
	 * {@code Content-Type: application/json; charset="}): 400 naming it, written here,
	 * since a response entity would be negotiated against the {@code Accept} that may be
	 * the bad header.
	 */
	@ExceptionHandler
	Mono<Void> invalidMediaType(InvalidMediaTypeException ex, ServerWebExchange exchange) {
		return ProblemWriter.write(exchange, ProblemExceptionHandler.invalidMediaType(exchange, ex), new HttpHeaders());
	}

	@Override
	protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
			ServerWebExchange exchange) {
		HttpHeaders problemHeaders = new HttpHeaders();
		problemHeaders.addAll(headers);
		if (body instanceof ProblemDetail problem) {
			problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			// always the path, never an absolute URL
			problem.setInstance(ProblemWriter.instance(exchange));
		}
		return Mono.just(new ResponseEntity<>(body, problemHeaders, status));
	}

	private Mono<ResponseEntity<Object>> respond(ProblemDetail problem, HttpHeaders headers,
			ServerWebExchange exchange) {
		return createResponseEntity(problem, headers, HttpStatusCode.valueOf(problem.getStatus()), exchange);
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
