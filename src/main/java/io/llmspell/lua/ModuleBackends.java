package io.llmspell.lua;

import io.micrometer.observation.ObservationRegistry;

import io.llmspell.outbound.OutboundHttpClient;
import io.llmspell.store.StorageBackend;

/**
 * What the Lua modules reach beyond the run through, shared by every run: the outbound
 * HTTP client of the {@code http} module, the backend of the {@code storage} module, and
 * where the spans of tool calls go. Either backend may be null (a run built without
 * them): the module then answers every call with {@code nil, "... is not available"}.
 */
public record ModuleBackends(OutboundHttpClient http, StorageBackend storage, ObservationRegistry observations) {

	public static final ModuleBackends NONE = new ModuleBackends(null, null);

	/** Backends whose tool calls are not observed. */
	public ModuleBackends(OutboundHttpClient http, StorageBackend storage) {
		this(http, storage, ObservationRegistry.NOOP);
	}

	public ModuleBackends {
		observations = (observations != null) ? observations : ObservationRegistry.NOOP;
	}

}
