package io.llmspell.run;

import java.util.Map;

/**
 * One event of a run, as every transport sends it: SSE ({@code id:}, {@code event:},
 * {@code data:}), NDJSON (one object a line) and the JSON summary.
 *
 * @param id 1, 2, 3, ... within the run
 * @param event {@code start}, {@code output}, {@code chunk}, {@code callback},
 * {@code log}, {@code error} or {@code done}
 */
public record RunEvent(long id, String event, Map<String, Object> data) {

	public boolean isDone() {
		return "done".equals(event);
	}

}
