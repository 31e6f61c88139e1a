package io.llmspell.store;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The storage backend. {@code llmspell.storage.backend=file} (the default) is the
 * embedded {@link MvStoreBackend}; another backend contributes its own
 * {@link StorageBackend} bean on its own value of that property.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class StorageConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "llmspell.storage.backend", havingValue = "file", matchIfMissing = true)
	MvStoreBackend mvStoreBackend(StorageProperties properties) {
		return new MvStoreBackend(properties.dataDir(), properties.quota());
	}

}
