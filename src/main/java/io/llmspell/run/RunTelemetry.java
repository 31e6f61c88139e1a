package io.llmspell.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What operators see of each run besides its meters: one log line when it ends (id,
 * spell, status, duration, calls, tokens, the limit hit), and a span from admission to
 * {@code done} (an {@code llmspell.run} observation, the parent of the run's LLM calls,
 * itself a child of the request that started it). The span's scope is open on the run's
 * thread, so every line the run logs carries its trace id.
 */
@Component
public class RunTelemetry {

	private static final Logger log = LoggerFactory.getLogger("io.llmspell.runs");

	private final ObservationRegistry registry;

	private final ConcurrentMap<String, Observation> observations = new ConcurrentHashMap<>();

	public RunTelemetry(ObjectProvider<ObservationRegistry> registry) {
		this.registry = registry.getIfAvailable(() -> ObservationRegistry.NOOP);
	}

	/** Starts the run's span, as a child of the current observation (the request). */
	void track(SpellRun run) {
		Observation observation = Observation.createNotStarted("llmspell.run", registry)
			.contextualName("run " + run.spell().name())
			.parentObservation(registry.getCurrentObservation())
			.lowCardinalityKeyValue("spell", run.spell().name())
			.highCardinalityKeyValue("llmspell.run.id", run.id())
			.highCardinalityKeyValue("gen_ai.system", run.provider())
			.highCardinalityKeyValue("gen_ai.request.model", String.valueOf(run.model()))
			.start();
		observations.put(run.id(), observation);
		String[] limit = new String[1];
		run.events().subscribe((event) -> {
			if ("error".equals(event.event()) && "limit".equals(event.data().get("kind"))) {
				limit[0] = String.valueOf(event.data().get("limit"));
			}
			if ("done".equals(event.event())) {
				ended(run, event.data(), limit[0], observation);
			}
		});
	}

	/** Makes the run's span current on this thread (the run's), until closed. */
	Observation.Scope openScope(SpellRun run) {
		Observation observation = observations.get(run.id());
		return (observation != null) ? observation.openScope() : Observation.Scope.NOOP;
	}

	private void ended(SpellRun run, Map<String, Object> done, String limit, Observation observation) {
		Map<?, ?> usage = (done.get("usage") instanceof Map<?, ?> map) ? map : Map.of();
		Object status = done.get("status");
		observation.lowCardinalityKeyValue("status", String.valueOf(status))
			.highCardinalityKeyValue("llmspell.run.calls", String.valueOf(usage.get("calls")))
			.highCardinalityKeyValue("gen_ai.usage.input_tokens", String.valueOf(usage.get("promptTokens")))
			.highCardinalityKeyValue("gen_ai.usage.output_tokens", String.valueOf(usage.get("completionTokens")));
		if (limit != null) {
			observation.highCardinalityKeyValue("llmspell.run.limit", limit);
		}
		// key=value in the message for plain logs, the same as key-value pairs for
		// structured (JSON) logs
		log.atInfo()
			.addKeyValue("runId", run.id())
			.addKeyValue("spell", run.spell().name())
			.addKeyValue("status", status)
			.addKeyValue("durationMs", done.get("durationMs"))
			.addKeyValue("calls", usage.get("calls"))
			.addKeyValue("promptTokens", usage.get("promptTokens"))
			.addKeyValue("completionTokens", usage.get("completionTokens"))
			.addKeyValue("limit", limit)
			.log("run finished id={} spell={} status={} durationMs={} calls={} promptTokens={} completionTokens={} "
					+ "limit={}", run.id(), run.spell().name(), status, done.get("durationMs"), usage.get("calls"),
					usage.get("promptTokens"), usage.get("completionTokens"), (limit != null) ? limit : "-");
		observations.remove(run.id());
		observation.stop();
	}

}
