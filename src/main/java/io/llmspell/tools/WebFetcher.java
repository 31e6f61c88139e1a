package io.llmspell.tools;

/**
 * How the built-in {@code web_fetch} tool reaches the web: through the run's {@code http}
 * module, so that its allowlist and limits apply. The {@code http} module fills this in
 * for its run; until it does, {@link #DISABLED} answers that http is not enabled.
 */
@FunctionalInterface
public interface WebFetcher {

	WebFetcher DISABLED = (url) -> {
		throw new ToolFailure("http is not enabled");
	};

	/**
	 * Fetches {@code url} with a GET, waiting on the run's thread as {@code http.get}
	 * does.
	 * @throws ToolFailure when the request is refused or fails
	 */
	Page fetch(String url);

	/** What a fetch gave. */
	record Page(int status, String content, String contentType) {
	}

}
