package io.llmspell.tools;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Loads the JSON Schema validator (its dialect and meta-schema) in the background once
 * the service is up, so that the first run with a schema or a tool does not pay for it.
 */
@Component
class JsonSchemaWarmup implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger log = LoggerFactory.getLogger(JsonSchemaWarmup.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Thread thread = new Thread(() -> {
			try {
				JsonSchema.compile(Map.of("type", "object")).problems(Map.of());
			}
			catch (RuntimeException ex) {
				log.warn("Could not load the JSON Schema validator ahead of time", ex);
			}
		}, "json-schema-warmup");
		thread.setDaemon(true);
		thread.start();
	}

}
