package io.llmspell.web;

/** A request body that is not the JSON object the endpoint takes. */
class InvalidBodyException extends RuntimeException {

	InvalidBodyException(String message) {
		super(message);
	}

}
