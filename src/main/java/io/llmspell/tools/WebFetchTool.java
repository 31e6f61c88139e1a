package io.llmspell.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The built-in {@code web_fetch} tool: {@code {url=}} to {@code {status=, content=,
 * content_type=}}, through the run's {@link WebFetcher}.
 */
public final class WebFetchTool {

	public static final String NAME = "web_fetch";

	public static final String DESCRIPTION = "Fetches a web page by URL (GET) and returns its status, content and content type.";

	/** One schema for every run, compiled when a run first validates against it. */
	public static final JsonSchema SCHEMA = JsonSchema.trusted(parameters());

	private WebFetchTool() {
	}

	public static Map<String, Object> parameters() {
		Map<String, Object> url = new LinkedHashMap<>();
		url.put("type", "string");
		url.put("description", "The http or https URL to fetch");
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("type", "object");
		schema.put("properties", Map.of("url", url));
		schema.put("required", List.of("url"));
		return schema;
	}

	/** The handler, asking {@code fetcher} for the run's fetcher at each call. */
	public static ToolHandler handler(Supplier<WebFetcher> fetcher) {
		return (args) -> {
			WebFetcher.Page page = fetcher.get().fetch(String.valueOf(args.get("url")));
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("status", page.status());
			result.put("content", page.content());
			result.put("content_type", page.contentType());
			return result;
		};
	}

}
