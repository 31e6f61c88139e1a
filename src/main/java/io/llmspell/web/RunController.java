package io.llmspell.web;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.NotAcceptableStatusException;

import io.llmspell.run.RunOptions;
import io.llmspell.run.RunService;
import io.llmspell.run.SpellRun;
import io.llmspell.spell.Spell;
import io.llmspell.spell.SpellCatalog;
import io.llmspell.spell.SpellParameterBinder;

/**
 * {@code POST /spells/{name}/run}: runs a spell and answers as the client's {@code Accept}
 * asks: SSE (also for none or {@code *}{@code /*}), NDJSON, or one JSON document at the end.
 */
@RestController
public class RunController {

	static final List<MediaType> PRODUCIBLE = List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON,
			MediaType.APPLICATION_JSON);

	private final SpellCatalog catalog;

	private final SpellParameterBinder binder;

	private final RunService runs;

	private final RunRequestReader reader;

	private final RunResponses responses;

	public RunController(SpellCatalog catalog, SpellParameterBinder binder, RunService runs, RunRequestReader reader,
			RunResponses responses) {
		this.catalog = catalog;
		this.binder = binder;
		this.runs = runs;
		this.reader = reader;
		this.responses = responses;
	}

	@PostMapping("/spells/{name}/run")
	public Mono<? extends ResponseEntity<?>> run(@PathVariable String name, ServerHttpRequest request) {
		MediaType format = negotiate(request.getHeaders().getAccept());
		Spell spell = catalog.get(name);
		return reader.read(request).map((body) -> {
			Map<String, Object> params = binder.bind(spell, body.params(), request.getQueryParams());
			return runs.start(spell, params, RunOptions.from(body.options()));
		}).flatMap((run) -> respond(run, format));
	}

	private Mono<? extends ResponseEntity<?>> respond(SpellRun run, MediaType format) {
		if (format.equals(MediaType.APPLICATION_JSON)) {
			return responses.json(run);
		}
		if (format.equals(MediaType.APPLICATION_NDJSON)) {
			return Mono.just(responses.ndjson(run, run.events()));
		}
		return Mono.just(responses.sse(run, run.events(), true));
	}

	/** The first of the client's acceptable types (by quality) that this endpoint produces. */
	static MediaType negotiate(List<MediaType> accept) {
		if (accept.isEmpty()) {
			return MediaType.TEXT_EVENT_STREAM;
		}
		List<MediaType> sorted = new java.util.ArrayList<>(accept);
		sorted.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (MediaType acceptable : sorted) {
			if (acceptable.getQualityValue() == 0) {
				continue;
			}
			for (MediaType producible : PRODUCIBLE) {
				if (acceptable.includes(producible)) {
					return producible;
				}
			}
		}
		throw new NotAcceptableStatusException(PRODUCIBLE);
	}

}
