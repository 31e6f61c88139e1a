package io.llmspell.outbound;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;

/**
 * What came back, after any redirects.
 *
 * @param status the HTTP status
 * @param url the URL that answered (the last hop)
 * @param headers the response headers, names in lower case
 * @param body the body as received (decompressed), never more than the request's limit
 */
public record OutboundResponse(int status, URI url, Map<String, List<String>> headers, byte[] body) {

	/** The {@code Content-Type}, or null. */
	public String contentType() {
		List<String> values = this.headers.get("content-type");
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	/** The body as text, in the charset the content type names (UTF-8 otherwise). */
	public String text() {
		Charset charset = StandardCharsets.UTF_8;
		try {
			String type = contentType();
			if (type != null) {
				Charset named = MediaType.parseMediaType(type).getCharset();
				charset = (named != null) ? named : charset;
			}
		}
		catch (RuntimeException ex) {
			// an odd content type: UTF-8
		}
		return new String(this.body, charset);
	}

}
