package io.llmspell.run;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An {@code Idempotency-Key} that already started a run for a different request: 422, as
 * Stripe answers, since repeating it cannot mean "the same run" and starting another
 * would defeat the key.
 */
public class IdempotencyKeyReusedException extends ErrorResponseException {

	public IdempotencyKeyReusedException(String key, String runId) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, problem(key, runId), null);
	}

	private static ProblemDetail problem(String key, String runId) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
				"Idempotency-Key '" + key + "' was used for a different request (spell, params or options); "
						+ "use a new key for a new request");
		problem.setTitle("Idempotency-Key reused");
		problem.setType(URI.create("about:blank"));
		problem.setProperty("runId", runId);
		return problem;
	}

}
