package io.llmspell.web;

/** A request body over {@code llmspell.limits.max-body-size}. */
class BodyTooLargeException extends RuntimeException {

	BodyTooLargeException(long limit) {
		super("the request body is larger than " + limit + " bytes");
	}

}
