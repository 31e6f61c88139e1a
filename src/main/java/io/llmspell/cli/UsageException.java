package io.llmspell.cli;

/** A command line the CLI cannot act on: exit status 2 with this message. */
class UsageException extends RuntimeException {

	UsageException(String message) {
		super(message);
	}

}
