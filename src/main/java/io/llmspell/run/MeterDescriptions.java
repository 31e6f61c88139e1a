package io.llmspell.run;

import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import org.springframework.stereotype.Component;

/**
 * HELP text for the service's own meters that are registered without one: those made by
 * observations (a timer and an active-tasks timer per observation name) and the events
 * counter; the run's and the http client's observation timers are dropped (they would
 * repeat llmspell.runs and llmspell.http.outbound.requests). Prometheus' tooling
 * ({@code promtool check metrics}) wants HELP on every metric.
 */
@Component
class MeterDescriptions implements MeterFilter {

	private static final Map<String, String> DESCRIPTIONS = Map.of("llmspell.events", "Run events emitted, by type",
			"llmspell.llm.call", "LLM calls of every provider, by outcome", "llmspell.tool.call",
			"Tool calls of the model, by outcome");

	/** Observations whose timers repeat meters of their own. */
	private static final Set<String> DENIED = Set.of("llmspell.run", "llmspell.run.active", "llmspell.http.client",
			"llmspell.http.client.active");

	/**
	 * The run observation's own timers (llmspell.runs meters the runs already) and the
	 * http client's (llmspell.http.outbound.requests meters the requests).
	 */
	@Override
	public MeterFilterReply accept(Meter.Id id) {
		return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		if (id.getDescription() != null || !id.getName().startsWith("llmspell.")) {
			return id;
		}
		String description = DESCRIPTIONS.getOrDefault(id.getName(), "llmspell " + id.getName().substring(9));
		return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
	}

}
