package io.llmspell.run;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.llmspell.lua.ModuleBackends;
import io.llmspell.outbound.OutboundHttpClient;
import io.llmspell.store.StorageBackend;

/** The shared backends every run's Lua modules use. */
@Configuration(proxyBeanMethods = false)
class ModuleBackendsConfiguration {

	@Bean
	ModuleBackends moduleBackends(OutboundHttpClient http, StorageBackend storage,
			ObjectProvider<ObservationRegistry> observations) {
		return new ModuleBackends(http, storage, observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

}
