package io.llmspell.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Remembers which run an {@code Idempotency-Key} started, so that a client that repeats
 * its request (after a dropped connection) gets the same run back instead of a second
 * one. A key is remembered as long as its run is retained (see {@link RunsProperties});
 * keys are scoped by the caller (per spell, and per API key when auth is on). The same
 * key with a different request is refused: {@link IdempotencyKeyReusedException}.
 */
@Component
public class IdempotencyKeys {

	private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

	private final RunRegistry registry;

	private final int pruneAbove;

	// sorted keys: the same request gives the same fingerprint whatever its field order
	private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

	public IdempotencyKeys(RunRegistry registry, RunsProperties runs, LimitsProperties limits) {
		this.registry = registry;
		// at most this many runs are retained or live at once, so this many keys can
		// still matter
		this.pruneAbove = 2 * (runs.maxRetained() + limits.maxConcurrentRuns() + limits.maxQueuedRuns());
	}

	/**
	 * The run {@code key} started within {@code scope}, when it is still retained and the
	 * request is the same, else a new run from {@code start}. Atomic per key: two
	 * concurrent requests with one key start one run.
	 * @param request what identifies the request (endpoint, params, options), compared as
	 * JSON
	 * @throws IdempotencyKeyReusedException when the key started a run for another
	 * request
	 */
	public Claim claim(String scope, String key, Map<String, Object> request, Supplier<SpellRun> start) {
		String fingerprint = fingerprint(request);
		boolean[] started = new boolean[1];
		Entry entry = entries.compute(scope + '\n' + key, (id, existing) -> {
			if (existing != null && registry.find(existing.runId()).isPresent()) {
				return existing;
			}
			started[0] = true;
			return new Entry(start.get().id(), fingerprint);
		});
		if (!entry.fingerprint().equals(fingerprint)) {
			throw new IdempotencyKeyReusedException(key, entry.runId());
		}
		if (started[0] && entries.size() > pruneAbove) {
			entries.values().removeIf((old) -> registry.find(old.runId()).isEmpty());
		}
		return new Claim(registry.get(entry.runId()), !started[0]);
	}

	private String fingerprint(Map<String, Object> request) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(request));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A short, non-reversible tag of a credential, to scope keys per API key. */
	public static String tag(String credential) {
		if (credential == null) {
			return "";
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The run for a request, and whether it was already started by an earlier request
	 * with the same key.
	 */
	public record Claim(SpellRun run, boolean replayed) {
	}

	private record Entry(String runId, String fingerprint) {
	}

}
