package io.llmspell.llm;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.codec.CodecException;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Turns whatever went wrong in a provider call into an {@link LlmException} with a short
 * message that is safe to show: the provider's own {@code error.message} when it sent
 * one, otherwise a short description; at most {@value #MAX_MESSAGE} characters, never an
 * API key.
 */
public final class LlmErrors {

	/** The longest message taken from a provider or an exception. */
	public static final int MAX_MESSAGE = 200;

	/**
	 * Things that look like API keys, in case a provider echoes one we do not know of.
	 */
	private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|key)-[A-Za-z0-9_\\-]{12,}");

	/**
	 * {@code Bearer <token>}, {@code api_key=...}, {@code "token": "..."} and the like.
	 */
	private static final Pattern CREDENTIAL = Pattern
		.compile("(?i)\\b((?:api[_-]?key|x-api-key|access[_-]?token|token|secret|password|authorization)"
				+ "[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',;&]+");

	private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[^\\s\"',;&]+");

	/** Long opaque strings (tokens, JWTs) that no readable message needs. */
	private static final Pattern OPAQUE = Pattern.compile("\\b[A-Za-z0-9_\\-]{32,}(\\.[A-Za-z0-9_\\-]{8,})*\\b");

	private LlmErrors() {
	}

	/**
	 * The {@link LlmException} for {@code error}.
	 * @param provider the provider name
	 * @param error what went wrong
	 * @param timeout the call's timeout, named when the call timed out
	 * @param secrets strings (API keys) that must never appear in the message
	 */
	public static LlmException toLlmException(String provider, Throwable error, Duration timeout,
			Collection<String> secrets) {
		error = unwrap(error);
		if (error instanceof LlmException llm) {
			return llm;
		}
		if (error instanceof TimeoutException) {
			return new LlmException(provider, "timeout: no complete answer within " + format(timeout));
		}
		if (error instanceof WebClientResponseException response) {
			int status = response.getStatusCode().value();
			String message = providerMessage(response.getResponseBodyAsString());
			if (!StringUtils.hasText(message)) {
				message = StringUtils.hasText(response.getStatusText()) ? response.getStatusText() : "request failed";
			}
			return new LlmException(provider, status, sanitize(message, secrets));
		}
		if (error instanceof WebClientRequestException request) {
			return new LlmException(provider, "connection failed: " + sanitize(describe(rootCause(request)), secrets));
		}
		if (hasCause(error, JacksonException.class) || error instanceof CodecException) {
			return malformed(provider, rootCause(error));
		}
		if (hasCause(error, IOException.class)) {
			return new LlmException(provider, "connection closed: " + sanitize(describe(rootCause(error)), secrets));
		}
		return new LlmException(provider, "request failed: " + sanitize(describe(error), secrets));
	}

	/**
	 * The failure behind {@code error}: WebClient wraps errors met while reading a
	 * successful response's body (a broken connection, undecodable content) in a
	 * {@link WebClientResponseException} that carries the success status; this returns
	 * the cause.
	 */
	public static Throwable unwrap(Throwable error) {
		if (error instanceof WebClientResponseException response && !response.getStatusCode().isError()
				&& response.getCause() != null) {
			return response.getCause();
		}
		return error;
	}

	/** The error for a response that is not the JSON it should be. */
	public static LlmException malformed(String provider, Throwable cause) {
		String detail = (cause != null) ? cause.getClass().getSimpleName() : "unexpected content";
		return new LlmException(provider, "malformed response from provider (" + detail + ")");
	}

	/**
	 * The provider's own message in an error body: {@code error.message} (OpenAI,
	 * Anthropic), {@code error} as a string (Ollama), top-level {@code message}; else
	 * {@code null}: a body that is not such JSON (a proxy's text or HTML page, "Error:
	 * socket hang up") is never shown, only the status. Not yet {@linkplain #sanitize
	 * sanitized}.
	 */
	public static String providerMessage(String body) {
		if (!StringUtils.hasText(body)) {
			return null;
		}
		try {
			JsonNode node = JsonMapper.shared().readTree(body);
			JsonNode error = node.path("error");
			if (error.isObject() && error.path("message").isString()) {
				return error.path("message").asString();
			}
			if (error.isString()) {
				return error.asString();
			}
			if (node.path("message").isString()) {
				return node.path("message").asString();
			}
		}
		catch (JacksonException ex) {
			// not JSON: not shown
		}
		return null;
	}

	/** {@code text} cut to {@value #MAX_MESSAGE} characters. */
	public static String truncate(String text) {
		if (text == null || text.length() <= MAX_MESSAGE) {
			return text;
		}
		return text.substring(0, MAX_MESSAGE - 3) + "...";
	}

	/**
	 * {@code text} with every secret and anything that looks like a key replaced by
	 * {@code ***}.
	 */
	public static String redact(String text, Collection<String> secrets) {
		if (text == null) {
			return null;
		}
		String result = text;
		for (String secret : secrets) {
			if (StringUtils.hasText(secret) && secret.length() >= 4) {
				result = result.replace(secret, "***");
			}
		}
		result = BEARER.matcher(result).replaceAll("$1***");
		result = CREDENTIAL.matcher(result).replaceAll("$1***");
		result = KEY_LIKE.matcher(result).replaceAll("***");
		return OPAQUE.matcher(result).replaceAll("***");
	}

	/**
	 * {@code text} made fit for an {@link LlmException}: keys redacted (before
	 * truncating, so that no half key survives), whitespace collapsed, cut to
	 * {@value #MAX_MESSAGE} characters.
	 */
	public static String sanitize(String text, Collection<String> secrets) {
		if (text == null) {
			return null;
		}
		return truncate(redact(text, secrets).strip().replaceAll("\\s+", " "));
	}

	static String format(Duration duration) {
		if (duration == null) {
			return "?";
		}
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private static String describe(Throwable error) {
		String message = error.getMessage();
		return StringUtils.hasText(message) ? error.getClass().getSimpleName() + ": " + message
				: error.getClass().getSimpleName();
	}

	static Throwable rootCause(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
		for (Throwable t = error; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

}
