package io.llmspell.lua;

import io.llmspell.outbound.OutboundHttpClient;
import io.llmspell.store.StorageBackend;

/**
 * What the Lua modules reach beyond the run through, shared by every run: the outbound
 * HTTP client of the {@code http} module and the backend of the {@code storage} module.
 * Either may be null (a run built without them): the module then answers every call with
 * {@code nil, "... is not available"}.
 */
public record ModuleBackends(OutboundHttpClient http, StorageBackend storage) {

	public static final ModuleBackends NONE = new ModuleBackends(null, null);

}
