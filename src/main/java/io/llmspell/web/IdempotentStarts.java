package io.llmspell.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebInputException;

import io.llmspell.run.IdempotencyKeys;
import io.llmspell.run.RunOptions;
import io.llmspell.run.RunService;
import io.llmspell.spell.Spell;

/**
 * Starts a run for {@code POST /spells/{name}/run} and {@code /runs}, honouring
 * {@code Idempotency-Key}: a repeat of the same request within retention gets the run the
 * first one started. A run started with a key is detached (the client that sent a key
 * means to come back), so a dropped connection does not cancel it.
 */
@Component
class IdempotentStarts {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private final RunService runs;

	private final IdempotencyKeys keys;

	IdempotentStarts(RunService runs, IdempotencyKeys keys) {
		this.runs = runs;
		this.keys = keys;
	}

	IdempotencyKeys.Claim start(String endpoint, Spell spell, Map<String, Object> params,
			Map<String, Object> rawOptions, RunOptions options, ServerHttpRequest request) {
		String key = request.getHeaders().getFirst(IDEMPOTENCY_KEY);
		if (key == null) {
			return new IdempotencyKeys.Claim(runs.start(spell, params, options), false);
		}
		if (key.isBlank() || key.length() > 255 || !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw new ServerWebInputException(
					IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters (a UUID, say)");
		}
		Map<String, Object> fingerprint = new LinkedHashMap<>();
		fingerprint.put("endpoint", endpoint);
		fingerprint.put("params", params);
		fingerprint.put("options", rawOptions);
		RunOptions detached = new RunOptions(options.provider(), options.model(), options.limits(), true);
		String scope = IdempotencyKeys.tag(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION)) + "/"
				+ spell.name();
		return keys.claim(scope, key, fingerprint, () -> runs.start(spell, params, detached));
	}

}
