package io.llmspell.run;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** The runs this instance knows, by id: running ones, and finished ones within retention. */
@Component
public class RunRegistry {

	private final ConcurrentHashMap<String, SpellRun> runs = new ConcurrentHashMap<>();

	void register(SpellRun run) {
		runs.put(run.id(), run);
	}

	public Optional<SpellRun> find(String id) {
		return Optional.ofNullable(runs.get(id));
	}

	void finished(SpellRun run) {
		// retention comes with the runs resource
	}

}
