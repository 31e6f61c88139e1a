package io.llmspell.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a request's {@code options} may ask: a provider and model, lower limits, and
 * whether the run goes on when its client disconnects.
 *
 * @param limits limit names to values ({@code timeout: 5},
 * {@code max-instructions: 1000}); only lowering applies
 */
public record RunOptions(String provider, String model, Map<String, Object> limits, boolean detach) {

	public static final RunOptions NONE = new RunOptions(null, null, Map.of(), false);

	/** Reads the body's {@code options} object; every key not named here is a limit. */
	public static RunOptions from(Map<String, Object> options) {
		if (options == null || options.isEmpty()) {
			return NONE;
		}
		Map<String, Object> limits = new LinkedHashMap<>(options);
		Object provider = limits.remove("provider");
		Object model = limits.remove("model");
		Object detach = limits.remove("detach");
		if (detach != null && !(detach instanceof Boolean)) {
			throw new InvalidOptionException("detach", "expected true or false");
		}
		if (provider != null && !(provider instanceof String)) {
			throw new InvalidOptionException("provider", "expected a string");
		}
		if (model != null && !(model instanceof String)) {
			throw new InvalidOptionException("model", "expected a string");
		}
		return new RunOptions((String) provider, (String) model, limits, Boolean.TRUE.equals(detach));
	}

}
